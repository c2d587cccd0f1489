"""Scenario evals for the agent teams: ``cloudops eval --model ...`` or ``--scripted``."""

from agents.evals.checks import check
from agents.evals.runner import CaseResult, run_case
from agents.evals.scenario import DEFAULT_SCENARIOS, Expectation, Scenario, load_scenarios

__all__ = [
    "DEFAULT_SCENARIOS",
    "CaseResult",
    "Expectation",
    "Scenario",
    "check",
    "load_scenarios",
    "run_case",
]
