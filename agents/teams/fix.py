"""Fix team: diagnose, then stop at the first plan ``propose_fix_plan`` accepted.

The plan is stored as a pending approval by the tool's sink; nothing is applied here.
A refused plan is an error result the model can correct, within the budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import FunctionalTermination, TextMessageTermination
from autogen_agentchat.messages import BaseAgentEvent, BaseChatMessage, ToolCallExecutionEvent
from autogen_agentchat.teams import RoundRobinGroupChat

from agents.errors import AgentFailed
from agents.metered import MeteredClient
from agents.prompts import FIXER, system_message
from agents.reports import FixProposal
from agents.teams.budget import Budget, budget_termination
from agents.teams.run import run_team
from agents.tools import PROPOSE_TOOL, ToolSet, build_tools
from agents.untrusted import wrap

__all__ = ["FIX_TOOLS", "propose", "plan_accepted"]

FIX_TOOLS = ("run_diagnosis", "list_pods", "list_events", "read_logs", "search_knowledge")


def plan_accepted(messages: Sequence[BaseAgentEvent | BaseChatMessage]) -> bool:
    return any(
        isinstance(m, ToolCallExecutionEvent)
        and any(r.name == PROPOSE_TOOL and not r.is_error for r in m.content)
        for m in messages
    )


async def propose(
    meter: MeteredClient,
    tool_set: ToolSet,
    diagnosis: dict[str, Any],
    *,
    namespace: str,
    deployment: str,
    lang: str | None,
    budget: Budget,
) -> FixProposal:
    if not meter.model_info["function_calling"]:
        raise AgentFailed("no_tool_calling", "the model cannot call propose_fix_plan")
    fixer = AssistantAgent(
        "fixer",
        meter,
        tools=list[Any](build_tools(tool_set, (*FIX_TOOLS, PROPOSE_TOOL))),
        system_message=system_message(FIXER, lang),
        reflect_on_tool_use=False,
        max_tool_iterations=1,
    )
    stop = (
        FunctionalTermination(plan_accepted)
        | TextMessageTermination("fixer")
        | budget_termination(budget)
    )
    team = RoundRobinGroupChat([fixer], termination_condition=stop)
    task = (
        f"Deployment {namespace}/{deployment}. Diagnosis:\n"
        f"{wrap('diagnosis', diagnosis, limit=8000)}"
    )
    result = await run_team(team, task, budget, meter)
    done = {"usage": meter.usage, "tools_called": tool_set.ledger.names()}
    if tool_set.proposals:
        pending = tool_set.proposals[-1]
        return FixProposal(
            plan_id=pending.plan_id,
            plan=pending.plan.to_dict(),
            rationale=pending.rationale,
            **done,
        )
    texts = [
        m for m in result.messages if type(m).__name__ == "TextMessage" and m.source == "fixer"
    ]
    if not texts:
        raise AgentFailed(
            "budget_exhausted", f"no plan and no answer ({result.stop_reason})", meter.usage
        )
    return FixProposal(rationale=texts[-1].to_text(), **done)
