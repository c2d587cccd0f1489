"""The incident card of a war-room group, and the link that opens a group in Feishu."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from bot.cards.card import Card, Severity, card
from bot.cards.cutting import cut_bytes
from bot.cards.elements import Element, markdown
from bot.cards.escape import escape_markdown
from messages import t

__all__ = ["IncidentView", "incident_card", "chat_link", "SEVERITY_TEMPLATES"]

# P1 (worst) .. P4 as the card header's colour.
SEVERITY_TEMPLATES: dict[int, Severity] = {1: "critical", 2: "error", 3: "warning", 4: "info"}
TITLE_BYTES = 200


@dataclass(frozen=True)
class IncidentView:
    id: int
    title: str
    severity: int
    status: str  # investigating | resolved
    created_by: str
    created_at: datetime
    assignee: str | None = None
    resolved_at: datetime | None = None
    alertname: str | None = None
    members: Sequence[str] = field(default_factory=tuple)


def chat_link(chat_id: str) -> str:
    """The Feishu app link that opens a group chat."""
    return f"https://applink.feishu.cn/client/chat/open?openChatId={quote(chat_id)}"


def _who(open_id: str) -> str:
    return f"<at id={open_id}></at>" if open_id.startswith("ou_") else escape_markdown(open_id)


def incident_card(view: IncidentView, lang: str, timezone: str) -> Card:
    tz = ZoneInfo(timezone)
    status = t(f"incident.status.{view.status}", lang)
    assignee = _who(view.assignee) if view.assignee else t("incident.nobody", lang)
    opened = view.created_at.astimezone(tz).strftime("%m-%d %H:%M")
    lines = [
        t("incident.line.status", lang, status=status, severity=view.severity),
        t("incident.line.assignee", lang, who=assignee),
        t("incident.line.opened", lang, who=_who(view.created_by), at=opened),
    ]
    if view.resolved_at:
        at = view.resolved_at.astimezone(tz).strftime("%m-%d %H:%M")
        lines.append(t("incident.line.resolved", lang, at=at))
    if view.alertname:
        lines.append(t("incident.line.alert", lang, alertname=escape_markdown(view.alertname)))
    if view.members:
        who = " ".join(_who(m) for m in view.members[:20])
        lines.append(t("incident.line.members", lang, who=who))
    elements: list[Element] = [markdown("\n".join(lines))]
    if view.status != "resolved":
        elements.append(markdown(t("incident.line.commands", lang), text_size="notation"))
    resolved = view.status == "resolved"
    title = cut_bytes(view.title, TITLE_BYTES)
    return card(
        t("incident.title", lang, id=view.id, title=title),
        elements,
        severity="ok" if resolved else SEVERITY_TEMPLATES.get(view.severity, "info"),
        subtitle=f"P{view.severity} · {status}",
    )
