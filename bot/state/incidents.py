"""Incidents and their war-room groups: one row each, changed by the ``/incident`` commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from bot.state.engine import offloop
from bot.state.models import Incident

__all__ = ["IncidentRecord", "SqlIncidents", "STATUSES"]

STATUSES = ("investigating", "resolved")


@dataclass(frozen=True)
class IncidentRecord:
    id: int
    title: str
    severity: int
    status: str
    chat_id: str
    message_id: str
    alert_key: str | None
    namespace: str | None
    created_by: str
    assignee: str | None
    created_at: datetime
    resolved_at: datetime | None

    @property
    def timeline_key(self) -> str:
        """Where its events go: the alert's timeline, or its own."""
        return self.alert_key or f"incident-{self.id}"


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite drops the zone


def _record(r: Incident) -> IncidentRecord:
    created = _aware(r.created_at)
    assert created is not None
    return IncidentRecord(
        r.id,
        r.title,
        r.severity,
        r.status,
        r.chat_id,
        r.message_id,
        r.alert_key,
        r.namespace,
        r.created_by,
        r.assignee,
        created,
        _aware(r.resolved_at),
    )


class SqlIncidents:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @offloop
    def create(
        self,
        *,
        title: str,
        severity: int,
        chat_id: str,
        created_by: str,
        at: datetime,
        alert_key: str | None = None,
        namespace: str | None = None,
        assignee: str | None = None,
    ) -> IncidentRecord:
        row = Incident(
            title=title[:200],
            severity=severity,
            status="investigating",
            chat_id=chat_id,
            message_id="",
            alert_key=alert_key,
            namespace=namespace,
            created_by=created_by,
            assignee=assignee,
            created_at=at.astimezone(UTC),
        )
        with Session(self._engine) as session, session.begin():
            session.add(row)
            session.flush()
            return _record(row)

    @offloop
    def get(self, incident_id: int) -> IncidentRecord | None:
        with Session(self._engine) as session:
            row = session.get(Incident, incident_id)
            return _record(row) if row else None

    @offloop
    def in_chat(self, chat_id: str) -> IncidentRecord | None:
        """The incident whose war room ``chat_id`` is (the latest, should there be two)."""
        with Session(self._engine) as session:
            row = session.scalars(
                select(Incident).where(Incident.chat_id == chat_id).order_by(Incident.id.desc())
            ).first()
            return _record(row) if row else None

    @offloop
    def open_for_alert(self, alert_key: str) -> IncidentRecord | None:
        """The alert's incident that is not resolved yet, if any."""
        with Session(self._engine) as session:
            row = session.scalars(
                select(Incident)
                .where(Incident.alert_key == alert_key, Incident.status != "resolved")
                .order_by(Incident.id.desc())
            ).first()
            return _record(row) if row else None

    @offloop
    def change(self, incident_id: int, **fields: Any) -> IncidentRecord | None:
        """Set ``severity``, ``status``, ``assignee``, ``message_id`` or ``resolved_at``."""
        allowed = {"severity", "status", "assignee", "message_id", "resolved_at"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)} of an incident")
        if fields.get("status") not in (None, *STATUSES):
            raise ValueError(f"unknown incident status {fields['status']!r}")
        with Session(self._engine) as session, session.begin():
            session.execute(update(Incident).where(Incident.id == incident_id).values(**fields))
            row = session.get(Incident, incident_id)
            return _record(row) if row else None
