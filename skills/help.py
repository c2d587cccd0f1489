"""/help: every skill with its usage."""

from __future__ import annotations

from bot.access import Requires, Role
from bot.cards.help import help_card
from bot.context import Context
from bot.registry import Registry, Skill

__all__ = ["register"]


def register(registry: Registry) -> None:
    async def handle(_request: None, ctx: Context) -> None:
        await ctx.reply(help_card(registry.visible(), ctx.lang))

    registry.add_skill(
        Skill(
            name="help",
            usage_key="help.usage",
            summary_key="help.summary",
            handle=handle,
            aliases=("h", "帮助"),
            access=Requires(Role.viewer),
        )
    )
