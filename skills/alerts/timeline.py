"""``/incident timeline [alertname]``: what happened to an alert group, in order.

Events come from the state store's ``incident_events``: fired (the card was sent),
claimed, escalated (each urgent step and its result), silenced and resolved, each with
its time and actor. Without an alertname: the group that fired last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.access import Requires, Role
from bot.cards.incidents import TimelineRow, timeline_card
from bot.cards.notices import notice_card
from bot.context import Context
from bot.registry import Registry, Skill, UsageError

__all__ = ["register_timeline", "parse"]


@dataclass(frozen=True)
class TimelineRequest:
    alertname: str | None = None


def parse(args: Sequence[str]) -> TimelineRequest:
    if not args or args[0].lower() != "timeline":
        raise UsageError("usage.missing_argument", name="timeline")
    if len(args) > 2:
        raise UsageError("usage.unexpected_arguments", args=" ".join(args[2:]))
    return TimelineRequest(args[1] if len(args) == 2 else None)


async def handle(request: TimelineRequest, ctx: Context) -> None:
    timeline = ctx.services.store.timeline
    key = await timeline.latest(request.alertname)
    if key is None:
        text = ctx.t("timeline.not_found", alertname=request.alertname or "—")
        await ctx.reply(notice_card(ctx.t("timeline.title", alertname="—"), text, "neutral"))
        return
    events = await timeline.events(key)
    fired = next((e.detail for e in events if e.kind == "fired" and e.detail), key)
    # A group that resolved and fired again keeps its id: its cycles follow each other.
    rows = [
        TimelineRow(e.at, e.kind, e.actor, "" if e.kind == "fired" else e.detail) for e in events
    ]
    await ctx.reply(timeline_card(fired, key, rows, ctx.lang, ctx.settings.runtime.timezone))


def register_timeline(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="incident",
            usage_key="incident.usage",
            summary_key="incident.summary",
            handle=handle,
            parse=parse,
            access=Requires(Role.viewer),
        )
    )
