"""/ask and plain private-chat text: the assistant (knowledge-base answers land here)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.cards.notices import notice_card
from bot.context import Context
from bot.registry import Registry, Skill, UsageError

__all__ = ["register", "parse"]


def parse(args: Sequence[str]) -> str:
    question = " ".join(args).strip()
    if not question:
        raise UsageError("ask.empty")
    return question


async def handle(question: str, ctx: Context) -> None:
    await ctx.reply(notice_card(ctx.t("ask.title"), ctx.t("ask.unavailable", question=question)))


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="ask",
            usage_key="ask.usage",
            summary_key="ask.summary",
            parse=parse,
            handle=handle,
            aliases=("问",),
        )
    )
