"""``cloudops`` run in this process (typer's runner) with exactly the given environment.

For commands that refuse before serving: the same code path as the real process without
paying its start-up (imports) again; ``tests/bot/test_cli.py::test_version`` and the
``cloudops serve`` tests still start the real console script.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from typer.testing import CliRunner

from bot.cli import app

__all__ = ["cloudops", "Outcome"]


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def cloudops(*args: str, env: dict[str, str]) -> Outcome:
    """Only ``env`` is set: every other variable of this process is unset meanwhile."""
    isolated: dict[str, str | None] = {name: None for name in os.environ}
    isolated.update(env)
    result = CliRunner().invoke(app, list(args), env=isolated, catch_exceptions=False)
    return Outcome(result.exit_code, result.stdout, result.stderr)
