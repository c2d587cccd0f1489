"""/audit [n]: the last n audit entries (default 10, at most 50), newest first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.cards.fix import AuditRow, audit_card
from bot.context import Context
from bot.registry import Registry, Skill, UsageError

__all__ = ["parse", "register", "DEFAULT_COUNT", "MAX_COUNT"]

DEFAULT_COUNT = 10
MAX_COUNT = 50


def parse(args: Sequence[str]) -> int:
    if not args:
        return DEFAULT_COUNT
    if len(args) > 1:
        raise UsageError("usage.too_many_arguments", args=" ".join(args[1:]))
    text = args[0]
    if not text.isdigit() or not 1 <= int(text) <= MAX_COUNT:
        raise UsageError("audit.bad_count", value=text)
    return int(text)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite returns naive UTC


def _detail(action_id: str | None, detail: str) -> str:
    first = detail.splitlines()[0] if detail else ""
    return " ".join(part for part in (action_id or "", first) if part)[:120]


async def handle(count: int, ctx: Context) -> None:
    zone = ZoneInfo(ctx.settings.runtime.timezone)
    records = await ctx.services.store.audit.recent(count)
    rows = [
        AuditRow(
            at=_aware(r.at).astimezone(zone).strftime("%m-%d %H:%M:%S"),
            actor=r.actor,
            action=r.action,
            result=r.result,
            detail=_detail(r.action_id, r.detail),
        )
        for r in records
    ]
    await ctx.reply(audit_card(rows, ctx.lang))


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="audit",
            usage_key="audit.usage",
            summary_key="audit.summary",
            parse=parse,
            handle=handle,
            aliases=("审计",),
        )
    )
