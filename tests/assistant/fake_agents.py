"""Stand-ins for ``services.agents`` (shaped like agents.service.Agents) with scripted replies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Grounded:
    """Shaped like agents.reports.GroundedAnswer."""

    answer: str
    citations: list[int] = field(default_factory=list)
    refused: bool = False


@dataclass
class Source:
    url: str
    title: str = ""


@dataclass
class Research:
    answer: str
    sources: list[Source]


class ScriptedAgents:
    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[str, list[str], list[tuple[str, str]]]] = []
        self.research_calls: list[tuple[str, bool]] = []

    status = "enabled"

    async def grounded_answer(
        self,
        question: str,
        passages: list[str],
        history: list[tuple[str, str]] = (),  # type: ignore[assignment]
        *,
        lang: str | None = None,
    ) -> Any:
        self.calls.append((question, list(passages), list(history)))
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    async def research(
        self, question: str, use_web: bool = True, *, lang: str | None = None
    ) -> Research:
        self.research_calls.append((question, use_web))
        url = "https://kubernetes.io/docs/tasks/debug/debug-application/"
        return Research(f"Check the container logs. [1] ({question})", [Source(url, "Debug")])


class DisabledAgents(ScriptedAgents):
    """Shaped like agents.service.Agents without an LLM: status "disabled", None answers."""

    status = "disabled"

    async def grounded_answer(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(("", [], []))
        return None

    async def research(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        return None
