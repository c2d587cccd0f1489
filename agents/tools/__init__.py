"""Agent tools: thin typed wrappers over analysis, cluster (read-only) and knowledge."""

from agents.tools.backend import ToolBackend, ToolUnavailable
from agents.tools.catalogue import PROPOSE_TOOL, READ_TOOLS, ToolSet, build_tools
from agents.tools.fix import PendingPlan, PlanSink, plan_from_json
from agents.tools.ledger import Ledger, ToolCall
from agents.tools.live import LiveBackend
from agents.tools.recorded import RecordedBackend
from agents.tools.web import WebSearch

__all__ = [
    "PROPOSE_TOOL",
    "READ_TOOLS",
    "Ledger",
    "LiveBackend",
    "PendingPlan",
    "PlanSink",
    "RecordedBackend",
    "ToolBackend",
    "ToolCall",
    "ToolSet",
    "ToolUnavailable",
    "WebSearch",
    "build_tools",
    "plan_from_json",
]
