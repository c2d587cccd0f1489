"""``/incident timeline [alertname]``: what happened to an alert group, in order.

Events come from the state store's ``incident_events``: fired (the card was sent),
claimed, escalated (each urgent step and its result), silenced and resolved, each with
its time and actor, and what the war room added (opened, severity, assigned, note).
Without an alertname: in a war-room group its incident, elsewhere the group that fired
last.
"""

from __future__ import annotations

from bot.cards.incidents import TimelineRow, timeline_card
from bot.cards.notices import notice_card
from bot.context import Context
from skills.incident.requests import TimelineRequest

__all__ = ["handle", "timeline_key"]


async def timeline_key(request: TimelineRequest, ctx: Context) -> tuple[str | None, str | None]:
    """The timeline to show, and the title of a war room's incident."""
    if request.alertname is None:
        incident = await ctx.services.store.incidents.in_chat(ctx.chat_id)
        if incident is not None:
            return incident.timeline_key, incident.title
    return await ctx.services.store.timeline.latest(request.alertname), None


async def handle(request: TimelineRequest, ctx: Context) -> None:
    timeline = ctx.services.store.timeline
    key, title = await timeline_key(request, ctx)
    if key is None:
        text = ctx.t("timeline.not_found", alertname=request.alertname or "—")
        await ctx.reply(notice_card(ctx.t("timeline.title", alertname="—"), text, "neutral"))
        return
    events = await timeline.events(key)
    fired = next((e.detail for e in events if e.kind == "fired" and e.detail), title or key)
    # A group that resolved and fired again keeps its id: its cycles follow each other.
    rows = [
        TimelineRow(e.at, e.kind, e.actor, "" if e.kind == "fired" else e.detail) for e in events
    ]
    await ctx.reply(timeline_card(fired, key, rows, ctx.lang, ctx.settings.runtime.timezone))
