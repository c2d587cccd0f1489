"""``/incident status | sev | assign | note | resolve`` inside a war-room group.

Each change is stored, recorded in the incident's timeline with its actor and time,
audited, and shown: the incident card in the group is patched, the group's name and
description follow status and severity (``im.v1.chat.update``), and the answer is the
card as it now reads. An assignee who is not in the group yet is added to it.
"""

from __future__ import annotations

from bot.cards.elements import markdown
from bot.cards.notices import notice_card
from bot.context import Context
from bot.messenger import FeishuError
from bot.state.incidents import IncidentRecord
from skills.incident.group import MISSING_SCOPE, refresh, show
from skills.incident.requests import (
    AssignRequest,
    NoteRequest,
    ResolveRequest,
    SevRequest,
    StatusRequest,
)

__all__ = ["status", "change"]

Change = SevRequest | AssignRequest | NoteRequest | ResolveRequest


async def _incident(ctx: Context) -> IncidentRecord | None:
    record = await ctx.services.store.incidents.in_chat(ctx.chat_id)
    if record is None:
        title = ctx.t("incident.title", id="—", title="—")
        await ctx.reply(notice_card(title, ctx.t("incident.not_here"), "neutral"))
    return record


async def status(request: StatusRequest, ctx: Context) -> None:
    record = await _incident(ctx)
    if record is not None:
        await ctx.reply(await show(ctx.services, record))


def _assignee(request: AssignRequest, ctx: Context) -> str | None:
    bot = ctx.services.bot_open_id
    mentioned = ctx.message.mentioned_open_ids if ctx.message else ()
    return next((p for p in (*mentioned, *request.people) if p and p != bot), None)


async def _apply(request: Change, record: IncidentRecord, ctx: Context) -> IncidentRecord | None:
    """Store the change and its timeline entry; None when there is nothing to change."""
    store, now, actor = ctx.services.store, ctx.services.clock(), ctx.user_open_id
    key = record.timeline_key
    if isinstance(request, NoteRequest):
        await store.timeline.add(key, "note", actor, now, request.text)
        return record
    if isinstance(request, SevRequest):
        detail = f"P{record.severity} → P{request.severity}"
        await store.timeline.add(key, "severity", actor, now, detail)
        return await store.incidents.change(record.id, severity=request.severity)
    if isinstance(request, AssignRequest):
        who = _assignee(request, ctx)
        if who is None:
            await ctx.reply(ctx.t("usage.missing_argument", name="@"))
            return None
        try:
            await ctx.services.messenger.add_chat_members(record.chat_id, [who])
        except FeishuError as exc:
            if exc.code != MISSING_SCOPE:
                raise
        await store.timeline.add(key, "assigned", actor, now, who)
        return await store.incidents.change(record.id, assignee=who)
    await store.timeline.add(key, "resolved", actor, now, f"#{record.id}")
    return await store.incidents.change(record.id, status="resolved", resolved_at=now)


async def change(request: Change, ctx: Context) -> None:
    record = await _incident(ctx)
    if record is None:
        return
    if record.status == "resolved" and not isinstance(request, NoteRequest):
        title = ctx.t("incident.title", id=record.id, title=record.title)
        text = ctx.t("incident.already_resolved", id=record.id)
        await ctx.reply(notice_card(title, text, "neutral"))
        return
    changed = await _apply(request, record, ctx)
    if changed is None:
        return
    await ctx.services.store.audit.record(
        actor=ctx.user_open_id,
        chat_id=ctx.chat_id,
        action=f"incident_{type(request).__name__.removesuffix('Request').lower()}",
        result="ok",
        detail=f"#{record.id}",
    )
    missing = await refresh(ctx.services, changed)
    card = await show(ctx.services, changed)
    if missing:
        note = ctx.t("incident.update_failed", scope=missing)
        card["body"]["elements"].append(markdown(note, text_size="notation"))
    await ctx.reply(card)
