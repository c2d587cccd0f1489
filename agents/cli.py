"""``cloudops llm check`` and ``cloudops eval``: Typer command functions (registered by bot.cli)."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:  # AutoGen takes seconds to import: only inside the commands
    from agents.config import Endpoint, LlmConfig
    from agents.evals import CaseResult

__all__ = ["llm_check", "eval_command", "probe_endpoint"]

MODEL_OPTION = typer.Option(None, "--model", help="Model name(s), comma-separated.")
SCRIPTED_OPTION = typer.Option(False, "--scripted", help="Use each case's scripted model.")
CASES_OPTION = typer.Option(
    None, "--cases", help="Folder of scenario folders (default: the bundled scenarios)."
)


def _config() -> LlmConfig | None:
    from agents.config import llm_config
    from config.settings import ConfigError, load_settings

    try:
        settings = load_settings()
        return llm_config(settings, os.environ)
    except (ConfigError, ValueError) as error:
        typer.echo(f"configuration error: {error}", err=True)
        raise typer.Exit(2) from None


def _clock() -> str:
    """The probe tool the model is asked to call."""
    return "12:00"


async def probe_endpoint(endpoint: Endpoint, config: LlmConfig) -> str:
    from autogen_core.models import UserMessage
    from autogen_core.tools import FunctionTool

    from agents.failover import is_transient
    from agents.models import endpoint_client

    client = endpoint_client(endpoint, config)
    tool = FunctionTool(_clock, description="Return the current time.", name="get_time")
    started = time.perf_counter()
    try:
        result = await client.create(
            [UserMessage(content="Call the get_time tool now.", source="user")], tools=[tool]
        )
    except Exception as error:
        kind = "unreachable" if is_transient(error) else "error"
        return f"FAIL {endpoint.label}: {kind} ({type(error).__name__})"
    finally:
        await client.close()
    seconds = time.perf_counter() - started
    tools = isinstance(result.content, list) and any(
        getattr(c, "name", "") == "get_time" for c in result.content
    )
    return f"ok   {endpoint.label}: {seconds:.2f}s, tool calling {'works' if tools else 'NO'}"


def llm_check() -> None:
    """Call each configured LLM endpoint: model, latency, and whether tool calling works."""
    config = _config()
    if config is None:
        typer.echo("no LLM configured: set LLM_MODEL (and LLM_BASE_URL, LLM_API_KEY)", err=True)
        raise typer.Exit(2)

    async def probe_all() -> list[str]:
        return [await probe_endpoint(e, config) for e in config.endpoints]

    lines = asyncio.run(probe_all())
    for line in lines:
        typer.echo(line)
    if not any(line.startswith("ok") for line in lines):
        typer.echo("no LLM endpoint answered", err=True)
        raise typer.Exit(2)


def _summary(label: str, results: list[CaseResult]) -> str:
    passed = sum(r.passed for r in results)
    return f"{label}: {passed}/{len(results)} passed ({passed / len(results):.0%})"


def eval_command(
    model: str | None = MODEL_OPTION,
    scripted: bool = SCRIPTED_OPTION,
    cases: Path | None = CASES_OPTION,
) -> None:
    """Run the agent scenario suite; report the pass rate per model."""
    from agents.evals import DEFAULT_SCENARIOS, load_scenarios, run_case
    from agents.models import build_client

    try:
        scenarios = load_scenarios(cases or DEFAULT_SCENARIOS)
    except (OSError, ValueError) as error:
        typer.echo(f"cannot load scenarios: {error}", err=True)
        raise typer.Exit(2) from None
    runs: list[tuple[str, LlmConfig | None]] = []
    if scripted:
        runs.append(("scripted", None))
    if model or not scripted:
        config = _config()
        if config is None:
            typer.echo("no LLM configured: set LLM_MODEL, or use --scripted", err=True)
            raise typer.Exit(2)
        names = [m.strip() for m in (model or config.primary.model).split(",") if m.strip()]
        runs += [(name, config.with_model(name)) for name in names]

    async def run(config: LlmConfig | None) -> list[CaseResult]:
        factory = None if config is None else (lambda: build_client(config))
        return [await run_case(case, factory) for case in scenarios]

    summaries: list[str] = []
    for label, config in runs:
        results = asyncio.run(run(config))
        for result in results:
            mark = "PASS" if result.passed else "FAIL"
            typer.echo(
                f"{mark} {label} {result.name} ({result.seconds:.1f}s, "
                f"{result.tokens} tokens) {'; '.join(result.problems)}".rstrip()
            )
        summaries.append(_summary(label, results))
    for line in summaries:
        typer.echo(line)
