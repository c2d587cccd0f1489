"""LLM agents (AutoGen AgentChat 0.7.5): every AutoGen import of the bot lives here.

Optional by design: with no LLM configured ``Agents.status == "disabled"`` and every entry
point returns None, so skills keep their deterministic answer. Agents only read and
propose; the one action, ``propose_fix_plan``, stores a plan for a human to approve.

Exports are imported on first use (AutoGen takes seconds to import), so that a command
line or a module that needs one name does not pay for all of them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agents.config import Endpoint, LlmConfig, ModelFlags, load_llm_config
    from agents.errors import AgentFailed, FailureReason
    from agents.metered import Usage
    from agents.reports import (
        EvidenceItem,
        FixProposal,
        GroundedAnswer,
        Postmortem,
        RcaReport,
        ResearchAnswer,
        Source,
    )
    from agents.service import Agents, AgentsStatus, agents_status
    from agents.teams.budget import Budget
    from agents.tools import LiveBackend, PlanSink, RecordedBackend, ToolBackend, WebSearch

_HOMES = {  # exported name -> the module that defines it
    "AgentFailed": "agents.errors",
    "Agents": "agents.service",
    "AgentsStatus": "agents.service",
    "Budget": "agents.teams.budget",
    "Endpoint": "agents.config",
    "EvidenceItem": "agents.reports",
    "FailureReason": "agents.errors",
    "FixProposal": "agents.reports",
    "GroundedAnswer": "agents.reports",
    "LiveBackend": "agents.tools",
    "LlmConfig": "agents.config",
    "ModelFlags": "agents.config",
    "PlanSink": "agents.tools",
    "Postmortem": "agents.reports",
    "RcaReport": "agents.reports",
    "RecordedBackend": "agents.tools",
    "ResearchAnswer": "agents.reports",
    "Source": "agents.reports",
    "ToolBackend": "agents.tools",
    "Usage": "agents.metered",
    "WebSearch": "agents.tools",
    "agents_status": "agents.service",
    "load_llm_config": "agents.config",
}

__all__ = [
    "AgentFailed",
    "Agents",
    "AgentsStatus",
    "Budget",
    "Endpoint",
    "EvidenceItem",
    "FailureReason",
    "FixProposal",
    "GroundedAnswer",
    "LiveBackend",
    "LlmConfig",
    "ModelFlags",
    "PlanSink",
    "Postmortem",
    "RcaReport",
    "RecordedBackend",
    "ResearchAnswer",
    "Source",
    "ToolBackend",
    "Usage",
    "WebSearch",
    "agents_status",
    "load_llm_config",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'agents' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
