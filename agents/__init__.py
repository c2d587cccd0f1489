"""LLM agents (AutoGen AgentChat 0.7.5): every AutoGen import of the bot lives here.

Optional by design: with no LLM configured ``Agents.status == "disabled"`` and every entry
point returns None, so skills keep their deterministic answer. Agents only read and
propose; the one action, ``propose_fix_plan``, stores a plan for a human to approve.
"""

from agents.config import Endpoint, LlmConfig, ModelFlags, load_llm_config
from agents.errors import AgentFailed, FailureReason
from agents.metered import Usage
from agents.reports import (
    EvidenceItem,
    FixProposal,
    GroundedAnswer,
    RcaReport,
    ResearchAnswer,
    Source,
)
from agents.service import Agents, AgentsStatus, agents_status
from agents.teams.budget import Budget
from agents.tools import LiveBackend, PlanSink, RecordedBackend, ToolBackend, WebSearch

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
