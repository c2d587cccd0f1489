"""Pure checks of one scenario's outcome against its expectations."""

from __future__ import annotations

from typing import Any

from agents.evals.scenario import Expectation

__all__ = ["check"]


def _text(outcome: Any) -> str:
    if outcome is None:
        return ""
    data = outcome.model_dump(exclude={"usage", "tools_called", "unverified", "unverified_sources"})
    return str(data).lower()


def check(expect: Expectation, outcome: Any) -> list[str]:
    """Every unmet expectation, as one line each (empty: passed)."""
    problems: list[str] = []
    text = _text(outcome)
    called = list(getattr(outcome, "tools_called", []) or [])
    problems += [f"missing fact {f!r}" for f in expect.facts if f.lower() not in text]
    problems += [f"tool {t} not called" for t in expect.tools if t not in called]
    problems += [f"forbidden text {f!r} present" for f in expect.forbidden if f.lower() in text]
    plan = getattr(outcome, "plan", None)
    ops = [op.get("op") for op in (plan or {}).get("operations", [])]
    if expect.fix_ops and sorted(ops) != sorted(expect.fix_ops):
        problems.append(f"plan operations {ops} != {list(expect.fix_ops)}")
    if expect.no_plan and plan is not None:
        problems.append(f"a plan was proposed: {ops}")
    if expect.refused is not None and getattr(outcome, "refused", None) != expect.refused:
        problems.append(f"refused should be {expect.refused}")
    cited = list(getattr(outcome, "citations", []) or [])
    if expect.citations and cited != list(expect.citations):
        problems.append(f"citations {cited} != {list(expect.citations)}")
    urls = [s.url for s in getattr(outcome, "sources", []) or []]
    problems += [f"source {s} missing" for s in expect.sources if s not in urls]
    return problems
