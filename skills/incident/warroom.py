"""Opening a war room: ``/incident start <title> [--sev 1-4]`` and the War room button.

A Feishu group (``im.v1.chat.create``, its ``uuid`` derived from the request so a retried
delivery cannot make two) with the person who opened it, the alert team's on-call person,
whoever claimed the alert and ``incidents.responders``. The incident card goes into it,
then, for an alert naming a service, the ``/rca`` card of that service; the alert card
gets a link to the group instead of its button. The incident is stored and its timeline
starts with ``opened``. A tenant that has not granted ``im:chat`` gets a card naming it,
and nothing changes.
"""

from __future__ import annotations

from datetime import datetime

import structlog

from bot.cards.alert import alert_card, severity_of
from bot.cards.notices import notice_card
from bot.cards.warroom import chat_link
from bot.context import ActionContext, Context
from bot.messenger import FeishuError, uuid_for
from bot.registry import DependencyError, Registry, UsageError
from bot.services import Services
from bot.state.incidents import IncidentRecord
from skills.alerts.state import AlertRecord, load_record, save_record
from skills.incident.group import MISSING_SCOPE, group_description, group_name, show
from skills.incident.requests import DEFAULT_SEVERITY, StartRequest
from skills.oncall.teams import who_is_on_call

__all__ = ["open_war_room", "start", "start_from_alert", "CHAT_SCOPE", "severity_for"]

log = structlog.get_logger(__name__)
CHAT_SCOPE = "im:chat"  # what creating and renaming groups needs
SEVERITIES = {"critical": 1, "error": 2, "warning": 3}


def severity_for(label: str) -> int:
    """An alert's severity label as P1..P4 (critical → 1, unknown → 4)."""
    return SEVERITIES.get(severity_of(label), 4)


async def _members(
    services: Services, creator: str, alert: AlertRecord | None, now: datetime
) -> list[str]:
    found = [creator]
    if alert is not None:
        view = alert.view
        on_call = await who_is_on_call(services, view.team, now) if view.team else None
        found += [on_call.current if on_call else view.oncall or "", view.acked_by or ""]
    found += services.settings.incidents.responders
    bot = services.bot_open_id
    return [p for p in dict.fromkeys(found) if p.startswith("ou_") and p != bot]


def _pending(title: str, severity: int, creator: str, now: datetime) -> IncidentRecord:
    """The incident as its group's name shows it before it is stored."""
    return IncidentRecord(
        0, title, severity, "investigating", "", "", None, None, creator, None, now, None
    )


async def _run_rca(
    registry: Registry, ctx: Context | ActionContext, chat_id: str, alert: AlertRecord
) -> None:
    """The ``/rca`` card of the alert's service, in the war room."""
    skill = registry.find("rca")
    service = alert.view.service
    if skill is None or not service:
        return
    namespace = alert.view.namespace
    args = [service, "30m", *(["-n", namespace] if namespace else [])]
    room = Context(ctx.services, chat_id, ctx.user_open_id, uuid_for(ctx.request_key, "rca"))
    try:
        await skill.handle(skill.parse(args), room)
    except DependencyError as exc:
        await room.send(room.dependency_card(exc.dependency, exc.detail))
    except UsageError as exc:
        log.info("war_room_rca_skipped", service=service, reason=exc.key)


async def open_war_room(
    registry: Registry,
    ctx: Context | ActionContext,
    title: str,
    severity: int,
    alert: AlertRecord | None,
) -> IncidentRecord | None:
    services, creator = ctx.services, ctx.user_open_id
    now = services.clock()
    members = await _members(services, creator, alert, now)
    pending = _pending(title, severity, creator, now)
    lang = services.lang
    try:
        chat_id = await services.messenger.create_chat(
            group_name(pending, lang),
            group_description(pending, lang),
            members,
            uuid=uuid_for(ctx.request_key, "war_room"),
        )
    except FeishuError as exc:
        await services.store.audit.record(
            actor=creator,
            chat_id=ctx.chat_id,
            action="incident_start",
            result="failed",
            detail=f"chat.create code {exc.code}",
        )
        if exc.code != MISSING_SCOPE:
            raise DependencyError("Feishu", f"chat.create failed (code {exc.code})") from exc
        text = ctx.t("incident.scope.missing", scope=CHAT_SCOPE)
        await ctx.answer(notice_card(ctx.t("incident.scope.title"), text, "error"))
        return None
    store = services.store
    record = await store.incidents.create(
        title=title,
        severity=severity,
        chat_id=chat_id,
        created_by=creator,
        at=now,
        alert_key=alert.view.key if alert else None,
        namespace=alert.view.namespace if alert else None,
    )
    card = await show(services, record)
    message_id = await services.messenger.send(
        chat_id, card, uuid=uuid_for(ctx.request_key, "war_room_card")
    )
    record = await store.incidents.change(record.id, message_id=message_id) or record
    detail = f"#{record.id} P{severity} {title} → {chat_id}"
    await store.timeline.add(record.timeline_key, "opened", creator, now, detail)
    await store.audit.record(
        actor=creator,
        chat_id=ctx.chat_id,
        action="incident_start",
        result="ok",
        detail=f"#{record.id} {chat_id}",
    )
    if alert is not None:
        await _link(ctx, alert.view.key, record)
        await _run_rca(registry, ctx, chat_id, alert)
    text = ctx.t("incident.opened", id=record.id, title=title, url=chat_link(chat_id))
    await ctx.answer(notice_card(ctx.t("incident.opened.title"), text, "info"))
    return record


async def _link(ctx: Context | ActionContext, key: str, record: IncidentRecord) -> None:
    """The alert card links the group (read again: a claim may have landed meanwhile)."""
    alert = await load_record(ctx.services.store, key)
    if alert is None:
        return
    alert.view.incident, alert.view.war_room = record.id, record.chat_id
    await save_record(ctx.services.store, alert)
    timezone = str(ctx.settings.runtime.timezone)
    await ctx.services.messenger.patch(
        alert.message_id, alert_card(alert.view, ctx.lang, timezone), chat_id=alert.chat_id
    )


async def start(registry: Registry, request: StartRequest, ctx: Context) -> None:
    await open_war_room(registry, ctx, request.title, request.severity, None)


async def start_from_alert(registry: Registry, ctx: ActionContext) -> None:
    """The War room button of a firing alert card."""
    alert = await load_record(ctx.services.store, str(ctx.value.get("key", "")))
    if alert is None:
        await ctx.send(ctx.t("alert.gone"))
        return
    existing = await ctx.services.store.incidents.open_for_alert(alert.view.key)
    if existing is not None:
        text = ctx.t("incident.exists", url=chat_link(existing.chat_id))
        await ctx.send(notice_card(ctx.t("incident.opened.title"), text, "info"))
        return
    view = alert.view
    title = view.annotations.get("summary") or view.alertname
    severity = severity_for(view.severity) if view.severity else DEFAULT_SEVERITY
    await open_war_room(registry, ctx, title, severity, alert)
