"""/audit [n]: the last n audit entries of this chat (default 10, at most 50), newest
first; /audit all [n]: of every chat, for admins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.access import PerRequest, Requires, Role
from bot.cards.fix import AuditRow, audit_card
from bot.context import Context
from bot.registry import Registry, Skill, UsageError

__all__ = ["AuditRequest", "parse", "register", "DEFAULT_COUNT", "MAX_COUNT"]

DEFAULT_COUNT = 10
MAX_COUNT = 50
ALL = "all"


@dataclass(frozen=True)
class AuditRequest:
    count: int = DEFAULT_COUNT
    every_chat: bool = False


def parse(args: Sequence[str]) -> AuditRequest:
    every_chat = bool(args) and args[0].lower() == ALL
    rest = args[1:] if every_chat else args
    if not rest:
        return AuditRequest(DEFAULT_COUNT, every_chat)
    if len(rest) > 1:
        raise UsageError("usage.too_many_arguments", args=" ".join(rest[1:]))
    text = rest[0]
    if not text.isdigit() or not 1 <= int(text) <= MAX_COUNT:
        raise UsageError("audit.bad_count", value=text)
    return AuditRequest(int(text), every_chat)


# Every chat reads its own entries; only admins read every chat's.
ACCESS = PerRequest(
    lambda req: ALL if req.every_chat else "",
    {"": Requires(Role.viewer), ALL: Requires(Role.admin)},
)


def _detail(action_id: str | None, detail: str) -> str:
    first = detail.splitlines()[0] if detail else ""
    return " ".join(part for part in (action_id or "", first) if part)[:120]


async def handle(req: AuditRequest, ctx: Context) -> None:
    zone = ZoneInfo(ctx.settings.runtime.timezone)
    chat = None if req.every_chat else ctx.chat_id
    records = await ctx.services.store.audit.recent(req.count, chat_id=chat)
    rows = [
        AuditRow(
            at=r.at.astimezone(zone).strftime("%m-%d %H:%M:%S"),
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
            access=ACCESS,
        )
    )
