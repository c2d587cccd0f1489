"""What the entry points return: pydantic models filled by the model, checked by our code."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.metered import Usage

# Stands where the research team removed a link its searches did not return; the chat
# layer puts it into words.
LINK_REMOVED = "[link removed]"

__all__ = [
    "LINK_REMOVED",
    "Confidence",
    "EvidenceItem",
    "RcaReport",
    "FixProposal",
    "Source",
    "ResearchAnswer",
    "GroundedAnswer",
    "Postmortem",
]

Confidence = Literal["low", "medium", "high"]


class EvidenceItem(BaseModel):
    claim: str
    tool: str = Field(description="the tool (or 'evidence') whose output shows it")
    quote: str = Field(description="text copied exactly from that output")


class RcaReport(BaseModel):
    summary: str
    root_cause: str
    confidence: Confidence
    evidence: list[EvidenceItem] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    # Filled by our code, not by the model:
    unverified: list[str] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    tools_called: list[str] = Field(default_factory=list)


class FixProposal(BaseModel):
    """``plan_id`` is the pending approval's id; None when the team proposed nothing."""

    plan_id: str | None = None
    plan: dict[str, Any] | None = None
    rationale: str = ""
    usage: Usage = Field(default_factory=Usage)
    tools_called: list[str] = Field(default_factory=list)


class Source(BaseModel):
    title: str = ""
    url: str


class ResearchAnswer(BaseModel):
    answer: str
    sources: list[Source] = Field(default_factory=list)
    unverified_sources: list[str] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    tools_called: list[str] = Field(default_factory=list)


class GroundedAnswer(BaseModel):
    """``citations`` are 1-based passage numbers; ``refused`` when the passages lack it."""

    answer: str
    citations: list[int] = Field(default_factory=list)
    refused: bool = False
    usage: Usage = Field(default_factory=Usage)


class Postmortem(BaseModel):
    """The agents' postmortem; ``rejected`` when it states a time, person or link the
    draft does not (then the draft stands)."""

    markdown: str
    rejected: bool = False
    usage: Usage = Field(default_factory=Usage)
