"""Incidents: ``/incident`` (start a war room; status, sev, assign, note, resolve inside
it; timeline) and the War room button of alert cards (``incident_start``)."""

from __future__ import annotations

import functools
from typing import Any

from bot.access import ALL, Requires, Role, Scope
from bot.context import ActionContext, Context
from bot.registry import Registry, Skill
from skills.alerts.state import load_record
from skills.alerts.stats import StatsRequest, stats
from skills.incident import commands, postmortem, timeline, warroom
from skills.incident.requests import (
    ACCESS,
    IncidentRequest,
    PostmortemRequest,
    StartRequest,
    StatusRequest,
    TimelineRequest,
    parse,
)

__all__ = ["register", "parse"]


async def handle(registry: Registry, request: IncidentRequest, ctx: Context) -> None:
    if isinstance(request, TimelineRequest):
        await timeline.handle(request, ctx)
    elif isinstance(request, PostmortemRequest):
        await postmortem.handle(request, ctx)
    elif isinstance(request, StatsRequest):
        await stats(request, ctx)
    elif isinstance(request, StartRequest):
        await warroom.start(registry, request, ctx)
    elif isinstance(request, StatusRequest):
        await commands.status(request, ctx)
    else:
        await commands.change(request, ctx)


async def alert_card_scope(value: dict[str, Any], ctx: ActionContext) -> Scope:
    """The alert's namespace (none: every namespace); only from the alert card's chat."""
    record = await load_record(ctx.services.store, str(value.get("key", "")))
    if record is None:
        return Scope()
    namespace = record.view.namespace or ALL
    return Scope(namespace=namespace, chat_id=record.chat_id or None, object_id=record.view.key)


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="incident",
            usage_key="incident.usage",
            summary_key="incident.summary",
            handle=functools.partial(handle, registry),  # the war room runs /rca
            parse=parse,
            access=ACCESS,
        )
    )
    opens = Requires(Role.operator, changes_state=True, scope=alert_card_scope)
    registry.action("incident_start", requires=opens)(
        functools.partial(warroom.start_from_alert, registry)
    )
