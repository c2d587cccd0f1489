"""The scenario suite with scripted models (as `cloudops eval --scripted` runs it)."""

from __future__ import annotations

import pytest

from agents.evals import Expectation, check, load_scenarios, run_case
from agents.reports import FixProposal, GroundedAnswer

SCENARIOS = load_scenarios()


@pytest.mark.parametrize("case", SCENARIOS, ids=[c.name for c in SCENARIOS])
async def test_scripted_scenario_passes(case) -> None:
    result = await run_case(case, None)
    assert result.passed, result.problems


def test_the_suite_covers_every_team() -> None:
    assert {c.kind for c in SCENARIOS} == {"rca", "fix", "research", "grounded"}


def test_checks_catch_wrong_outcomes() -> None:
    expect = Expectation(facts=("memory",), fix_ops=("patch_probe",), tools=("read_logs",))
    wrong = FixProposal(
        plan={"operations": [{"op": "scale_replicas"}]}, rationale="cpu", tools_called=["list_pods"]
    )
    problems = check(expect, wrong)
    assert len(problems) == 3
    assert check(Expectation(refused=True), GroundedAnswer(answer="x", citations=[1])) == [
        "refused should be True"
    ]
    assert check(Expectation(no_plan=True), None) == []
