"""Agent teams: RCA narrative, fix proposal, research, grounded answers."""

from agents.teams.budget import Budget, budget_termination
from agents.teams.fix import FIX_TOOLS, plan_accepted
from agents.teams.pipeline import gather_then_write, route
from agents.teams.rca import RCA_TOOLS, check_claims
from agents.teams.research import check_sources
from agents.teams.run import final_text, run_team

__all__ = [
    "Budget",
    "FIX_TOOLS",
    "RCA_TOOLS",
    "budget_termination",
    "check_claims",
    "check_sources",
    "final_text",
    "gather_then_write",
    "plan_accepted",
    "route",
    "run_team",
]
