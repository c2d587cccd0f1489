"""/whoami: who the sender is to Feishu, and the config lines that make them an approver."""

from __future__ import annotations

from bot.access import Requires, Role
from bot.cards.whoami import whoami_card
from bot.context import Context
from bot.registry import Registry, Skill

__all__ = ["register", "namespaces_of"]


def namespaces_of(settings: object) -> list[str]:
    """The namespaces the configured services live in, else ``default``."""
    services = getattr(getattr(settings, "prometheus", None), "services", {}) or {}
    found = {str((config or {}).get("namespace") or "default") for config in services.values()}
    return sorted(found) or ["default"]


async def handle(_request: None, ctx: Context) -> None:
    chat_type = ctx.message.chat_type if ctx.message else "p2p"
    await ctx.reply(
        whoami_card(ctx.user_open_id, ctx.chat_id, chat_type, namespaces_of(ctx.settings), ctx.lang)
    )


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="whoami",
            usage_key="whoami.usage",
            summary_key="whoami.summary",
            handle=handle,
            aliases=("我是谁",),
            access=Requires(Role.viewer, public=True),
        )
    )
