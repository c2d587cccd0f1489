"""Incident timelines: what happened to an alert group, when, and who did it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from bot.state.engine import offloop
from bot.state.models import IncidentEvent

__all__ = ["IncidentEventRecord", "SqlTimeline", "KINDS", "INCIDENT_KINDS"]

KINDS = ("fired", "claimed", "escalated", "silenced", "resolved")
# What the war-room commands add (skills.incident).
INCIDENT_KINDS = ("opened", "severity", "assigned", "note")


@dataclass(frozen=True)
class IncidentEventRecord:
    key: str
    at: datetime
    kind: str
    actor: str
    detail: str


class SqlTimeline:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @offloop
    def add(self, key: str, kind: str, actor: str, at: datetime, detail: str = "") -> None:
        if kind not in KINDS and kind not in INCIDENT_KINDS:
            raise ValueError(f"unknown incident event {kind!r}")
        row = IncidentEvent(
            key=key, at=at.astimezone(UTC), kind=kind, actor=actor[:100], detail=detail[:2000]
        )
        with Session(self._engine) as session, session.begin():
            session.add(row)

    @offloop
    def events(self, key: str, limit: int = 100) -> list[IncidentEventRecord]:
        """The group's events, oldest first."""
        with Session(self._engine) as session:
            rows = session.scalars(
                select(IncidentEvent)
                .where(IncidentEvent.key == key)
                .order_by(IncidentEvent.at, IncidentEvent.id)
                .limit(limit)
            )
            return [IncidentEventRecord(r.key, r.at, r.kind, r.actor, r.detail) for r in rows]

    @offloop
    def between(
        self, start: datetime, end: datetime, limit: int = 20_000
    ) -> list[IncidentEventRecord]:
        """Every group's events from ``start`` (inclusive) to ``end`` (exclusive), oldest
        first (for response-time statistics)."""
        with Session(self._engine) as session:
            rows = session.scalars(
                select(IncidentEvent)
                .where(IncidentEvent.at >= start.astimezone(UTC))
                .where(IncidentEvent.at < end.astimezone(UTC))
                .order_by(IncidentEvent.at, IncidentEvent.id)
                .limit(limit)
            )
            return [IncidentEventRecord(r.key, r.at, r.kind, r.actor, r.detail) for r in rows]

    @offloop
    def latest(self, alertname: str | None = None) -> str | None:
        """The group that fired last (with ``alertname``: whose firing named it, or whose
        id it is)."""
        with Session(self._engine) as session:
            query = select(IncidentEvent.key).where(IncidentEvent.kind == "fired")
            if alertname:
                query = query.where(
                    (IncidentEvent.detail == alertname) | (IncidentEvent.key == alertname)
                )
            return session.scalar(query.order_by(IncidentEvent.at.desc(), IncidentEvent.id.desc()))

    @offloop
    def purge(self, before: datetime) -> int:
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                delete(IncidentEvent).where(IncidentEvent.at < before.astimezone(UTC))
            )
            return int(getattr(result, "rowcount", 0) or 0)
