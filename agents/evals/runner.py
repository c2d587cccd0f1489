"""Run scenarios through the real entry points with a recorded backend."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autogen_core.models import ChatCompletionClient

from agents.errors import AgentFailed
from agents.evals.checks import check
from agents.evals.scenario import Scenario
from agents.evals.script import scripted_client
from agents.service import Agents
from agents.teams.budget import Budget
from agents.tools import RecordedBackend

__all__ = ["CaseResult", "run_case", "ScriptSink"]


@dataclass(frozen=True)
class CaseResult:
    name: str
    passed: bool
    problems: list[str]
    seconds: float
    tokens: int


class ScriptSink:
    """The plan sink of an eval: remembers plans, applies nothing."""

    def __init__(self) -> None:
        self.plans: list[Any] = []

    async def __call__(self, plan: Any, rationale: str) -> str:
        self.plans.append(plan)
        return f"eval-plan-{len(self.plans)}"


async def _outcome(agents: Agents, case: Scenario) -> Any:
    given = case.inputs
    lang = given.get("lang", "en-US")
    if case.kind == "rca":
        return await agents.narrate_rca(
            given.get("evidence") or {}, given.get("question", ""), lang=lang
        )
    if case.kind == "fix":
        return await agents.propose_fix(
            given.get("diagnosis") or {},
            namespace=given["namespace"],
            deployment=given["deployment"],
            plan_sink=ScriptSink(),
            lang=lang,
        )
    if case.kind == "research":
        return await agents.research(given["question"], bool(given.get("use_web", True)), lang=lang)
    return await agents.grounded_answer(
        given["question"], list(given.get("passages") or []), lang=lang
    )


async def run_case(
    case: Scenario,
    client_factory: Callable[[], ChatCompletionClient] | None,
    *,
    budget: Budget | None = None,
) -> CaseResult:
    """``client_factory`` None means the case's own script (a scripted model)."""
    factory = client_factory or (lambda: scripted_client(case.script))
    agents = Agents(
        None, backend=RecordedBackend(case.tools), client_factory=factory, budget=budget
    )
    started = time.perf_counter()
    try:
        outcome = await _outcome(agents, case)
        problems = check(case.expect, outcome)
        tokens = outcome.usage.total_tokens if outcome is not None else 0
    except AgentFailed as failure:
        problems, tokens = [f"agent failed: {failure.reason}"], 0
    finally:
        await agents.close()
    return CaseResult(case.name, not problems, problems, time.perf_counter() - started, tokens)
