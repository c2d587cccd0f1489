"""/new: forget the assistant's memory of this conversation (``skills.conversation_memory``)."""

from __future__ import annotations

from bot.access import Requires, Role
from bot.cards.notices import notice_card
from bot.context import Context
from bot.registry import Registry, Skill, no_arguments
from skills.conversation_memory import Memory

__all__ = ["register"]


async def handle(_: None, ctx: Context) -> None:
    await Memory.of(ctx.services, ctx.user_open_id, ctx.chat_id).clear()
    await ctx.reply(notice_card(ctx.t("ask.title"), ctx.t("ask.new.done"), severity="ok"))


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="new",
            usage_key="ask.new.usage",
            summary_key="ask.new.summary",
            parse=no_arguments,
            handle=handle,
            aliases=("新对话",),
            access=Requires(Role.viewer),
        )
    )
