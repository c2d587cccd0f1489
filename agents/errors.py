"""The one failure type entry points raise: skills catch it and keep their deterministic card."""

from __future__ import annotations

from typing import Literal

from config.scrub import scrub

__all__ = ["AgentFailed", "FailureReason"]

FailureReason = Literal[
    "timeout",
    "unreachable",
    "budget_exhausted",
    "invalid_output",
    "no_tool_calling",
    "model_error",
    "not_configured",
]


class AgentFailed(Exception):
    """An agent run did not produce a usable answer; ``reason`` is a stable code.

    ``detail`` is for logs (never shown verbatim to chat users, never holds secrets);
    ``usage`` is what the failed run cost, for the cost line.
    """

    def __init__(self, reason: FailureReason, detail: str = "", usage: object = None) -> None:
        detail = scrub(detail) if detail else detail
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason: FailureReason = reason
        self.detail = detail
        self.usage = usage
