"""Web research by the agents (Tavily search through the research team): whether it is
available, running it, and reading its answer and sources."""

from __future__ import annotations

from typing import Any

from agents.reports import LINK_REMOVED
from bot.registry import DependencyError
from config.availability import web_search_configured
from messages import t
from skills.grounded_answer import llm_ready

__all__ = ["web_search_ready", "read_research", "research"]


def web_search_ready(services: Any) -> bool:
    """Web research needs an LLM (``services.agents``) and a Tavily key."""
    return llm_ready(services, "research") and web_search_configured(services.settings)


def read_research(result: Any, lang: str | None) -> tuple[str, list[tuple[str, str]]]:
    """The answer text and (title, url) sources of a research result."""
    text = str(getattr(result, "answer", None) or getattr(result, "text", "") or "")
    text = text.replace(LINK_REMOVED, t("agents.link_removed", lang))
    sources: list[tuple[str, str]] = []
    for source in getattr(result, "sources", None) or []:
        get = source.get if isinstance(source, dict) else lambda k, s=source: getattr(s, k, "")
        if get("url"):
            sources.append((str(get("title") or ""), str(get("url"))))
    return text, sources


async def research(services: Any, question: str) -> Any:
    """The research result, or None when no LLM is configured."""
    try:
        return await services.agents.research(question, use_web=True, lang=services.lang)
    except Exception as exc:
        raise DependencyError("LLM", t("ask.failure.web", services.lang)) from exc
