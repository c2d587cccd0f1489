"""What a war-room group shows: its name and description (status and severity), and the
incident card, refreshed after every change."""

from __future__ import annotations

import structlog

from bot.cards.card import Card
from bot.cards.warroom import IncidentView, incident_card
from bot.messenger import FeishuError
from bot.services import Services
from bot.state.incidents import IncidentRecord
from messages import t
from skills.alerts.state import load_record

__all__ = ["group_name", "group_description", "incident_view", "show", "refresh", "MISSING_SCOPE"]

log = structlog.get_logger(__name__)
MISSING_SCOPE = 99991672  # Feishu: "Access denied. One of the following scopes is required"
NAME_CHARS = 60  # Feishu cuts group names at 60 characters


def group_name(record: IncidentRecord, lang: str) -> str:
    status = t(f"incident.status.{record.status}", lang)
    name = t(
        "incident.group.name", lang, status=status, severity=record.severity, title=record.title
    )
    return name[:NAME_CHARS]


def group_description(record: IncidentRecord, lang: str) -> str:
    assignee = record.assignee or t("incident.nobody", lang)
    status = t(f"incident.status.{record.status}", lang)
    return t(
        "incident.group.description",
        lang,
        status=status,
        severity=record.severity,
        assignee=assignee,
    )


async def incident_view(
    services: Services, record: IncidentRecord, members: tuple[str, ...] = ()
) -> IncidentView:
    alertname = None
    if record.alert_key:
        alert = await load_record(services.store, record.alert_key)
        alertname = alert.view.alertname if alert else record.alert_key
    return IncidentView(
        record.id,
        record.title,
        record.severity,
        record.status,
        record.created_by,
        record.created_at,
        record.assignee,
        record.resolved_at,
        alertname,
        members,
    )


async def show(services: Services, record: IncidentRecord) -> Card:
    view = await incident_view(services, record)
    return incident_card(view, services.lang, str(services.settings.runtime.timezone))


async def refresh(services: Services, record: IncidentRecord) -> str | None:
    """Rename the group and patch its incident card; the missing scope's name when Feishu
    refused the rename for want of it (the change itself is kept)."""
    card = await show(services, record)
    if record.message_id:
        await services.messenger.patch(record.message_id, card, chat_id=record.chat_id)
    lang = services.lang
    try:
        await services.messenger.update_chat(
            record.chat_id, group_name(record, lang), group_description(record, lang)
        )
    except FeishuError as exc:
        if exc.code != MISSING_SCOPE:
            raise
        log.warning("war_room_rename_refused", chat_id=record.chat_id, code=exc.code)
        return "im:chat"
    return None
