"""Chat lines about agent runs, from the message catalogue (messages/agents.yaml)."""

from __future__ import annotations

from agents.errors import AgentFailed
from agents.metered import Usage
from messages import t

__all__ = ["failure_text", "cost_line"]


def failure_text(error: AgentFailed, lang: str | None = None) -> str:
    """One sentence for the card: what failed, and that the deterministic result stands."""
    return t(f"agents.failed.{error.reason}", lang)


def cost_line(usage: Usage, lang: str | None = None) -> str:
    return t(
        "agents.cost",
        lang,
        prompt=usage.prompt_tokens,
        completion=usage.completion_tokens,
        calls=usage.calls,
    )
