"""``cloudops sandbox``: contributed to the ``cloudops`` command through the entry-point
group ``cloudops.commands`` (see pyproject.toml), so the product never imports the sandbox."""

from __future__ import annotations

import typer

from bot.logging_setup import configure_logging

__all__ = ["sandbox"]


def sandbox(
    port: int = typer.Option(8080, "--port", help="Port of the web chat."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
) -> None:
    """Try the bot with no Feishu app, cluster or LLM: a web chat at /sandbox."""
    # Loaded when the command runs: every `cloudops` start loads this module (to list the
    # command), and the simulated world is heavy.
    from sandbox.run import run_sandbox

    configure_logging()
    run_sandbox(port, host)
