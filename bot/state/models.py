"""SQLAlchemy 2 models of the bot's state: one table per concern."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Integer, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "UtcDateTime",
    "ProcessedEvent",
    "PendingAction",
    "AuditEntry",
    "ChatSession",
    "Subscription",
    "Lease",
    "KeyValue",
    "InflightDelivery",
    "OncallChange",
    "Escalation",
    "IncidentEvent",
    "Incident",
]


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp on every engine: stored in UTC, read back aware.

    PostgreSQL keeps the zone (``timestamptz``); SQLite keeps none, so a value is turned
    into UTC before it is written and labelled UTC when it is read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if not isinstance(value, datetime):
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class ProcessedEvent(Base):
    """A claimed delivery key (message_id, event_id, job run id): claimed once, ever."""

    __tablename__ = "processed_events"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class PendingAction(Base):
    """A proposed mutation (fix plan, undo, scaling) waiting for a human decision."""

    __tablename__ = "pending_actions"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    payload_hash: Mapped[str] = mapped_column(String(64))
    namespace: Mapped[str] = mapped_column(String(253))
    target: Mapped[str] = mapped_column(String(253))
    chat_id: Mapped[str] = mapped_column(String(100))
    message_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    proposed_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    result: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The plan as its cards show it (JSON), written when proposed; re-rendered on every
    # decision, undo and expiry for as long as the action exists.
    card_view: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The cluster the plan changes: an apply or undo acts there and nowhere else.
    cluster: Mapped[str] = mapped_column(String(63), default="default", server_default="default")


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    chat_id: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    action_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    payload_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    result: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")


class ChatSession(Base):
    __tablename__ = "chat_sessions"
    key: Mapped[str] = mapped_column(String(220), primary_key=True)
    messages: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Subscription(Base):
    __tablename__ = "subscriptions"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(253))
    schedule: Mapped[str] = mapped_column(String(60))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Lease(Base):
    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class KeyValue(Base):
    """Small durable facts: which message shows which alert group, card state, ...
    Each expires: invisible after ``expires_at``, deleted by the housekeeping purge."""

    __tablename__ = "key_values"
    key: Mapped[str] = mapped_column(String(250), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class InflightDelivery(Base):
    """A claimed delivery whose answer is running; gone when answered (``inflight``)."""

    __tablename__ = "inflight_deliveries"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    holder: Mapped[str] = mapped_column(String(100))
    lease_until: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OncallChange(Base):
    """An on-call override (one person) or swap (two) of a team, from ``starts`` to ``ends``."""

    __tablename__ = "oncall_changes"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    team: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # "override" | "swap"
    people: Mapped[str] = mapped_column(String(300))  # open_ids, comma-separated
    starts: Mapped[datetime] = mapped_column(UtcDateTime())
    ends: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Escalation(Base):
    """A firing alert card of a team: its next escalation step and when it is due."""

    __tablename__ = "escalations"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)  # the alert group id
    team: Mapped[str] = mapped_column(String(100))
    chat_id: Mapped[str] = mapped_column(String(100))
    message_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))  # pending | claimed | done | resolved
    next_step: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    fired_at: Mapped[datetime] = mapped_column(UtcDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class IncidentEvent(Base):
    """One line of an alert group's timeline: fired, claimed, escalated, silenced, resolved."""

    __tablename__ = "incident_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(40), index=True)  # the alert group id
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(Text, default="")


class Incident(Base):
    """An incident with its war-room group (``/incident start``, the War room button)."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    severity: Mapped[int] = mapped_column(Integer)  # 1 (worst) to 4
    status: Mapped[str] = mapped_column(String(20))  # investigating | resolved
    chat_id: Mapped[str] = mapped_column(String(100), index=True)  # the war-room group
    message_id: Mapped[str] = mapped_column(String(100), default="")  # its incident card
    alert_key: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    namespace: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_by: Mapped[str] = mapped_column(String(100))
    assignee: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
