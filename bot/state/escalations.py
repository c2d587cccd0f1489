"""Escalations of firing alert cards: the next step of each and when it is due.

A step is taken with a conditional update (``take``): of all the replicas (or runs) that
see it due, exactly one moves it on, so each step goes out once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from bot.state.engine import offloop
from bot.state.models import Escalation

__all__ = ["EscalationRecord", "SqlEscalations"]


@dataclass(frozen=True)
class EscalationRecord:
    key: str
    team: str
    chat_id: str
    message_id: str
    status: str
    next_step: int
    due_at: datetime | None
    fired_at: datetime
    claimed_by: str | None


def _record(r: Escalation) -> EscalationRecord:
    return EscalationRecord(
        r.key,
        r.team,
        r.chat_id,
        r.message_id,
        r.status,
        r.next_step,
        r.due_at,
        r.fired_at,
        r.claimed_by,
    )


class SqlEscalations:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @offloop
    def start(
        self,
        *,
        key: str,
        team: str,
        chat_id: str,
        message_id: str,
        fired_at: datetime,
        first_due: datetime | None,
    ) -> None:
        """Begin (or begin again, for a group firing anew) at step 0."""
        now = fired_at.astimezone(UTC)
        row = Escalation(
            key=key,
            team=team,
            chat_id=chat_id,
            message_id=message_id,
            status="pending" if first_due else "done",
            next_step=0,
            due_at=first_due.astimezone(UTC) if first_due else None,
            fired_at=now,
            claimed_by=None,
            updated_at=now,
        )
        with Session(self._engine) as session, session.begin():
            session.merge(row)

    @offloop
    def get(self, key: str) -> EscalationRecord | None:
        with Session(self._engine) as session:
            row = session.get(Escalation, key)
            return _record(row) if row else None

    @offloop
    def due(self, now: datetime, limit: int = 100) -> list[EscalationRecord]:
        with Session(self._engine) as session:
            rows = session.scalars(
                select(Escalation)
                .where(Escalation.status == "pending", Escalation.due_at <= now.astimezone(UTC))
                .order_by(Escalation.due_at)
                .limit(limit)
            )
            return [_record(r) for r in rows]

    @offloop
    def take(self, key: str, step: int, next_due: datetime | None, now: datetime) -> bool:
        """Move ``key`` from ``step`` to the next (``next_due`` None: no step left);
        True for the one caller that did."""
        values: dict[str, object] = {
            "next_step": step + 1,
            "due_at": next_due.astimezone(UTC) if next_due else None,
            "updated_at": now.astimezone(UTC),
        }
        if next_due is None:
            values["status"] = "done"
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                update(Escalation)
                .where(
                    Escalation.key == key,
                    Escalation.status == "pending",
                    Escalation.next_step == step,
                )
                .values(**values)
            )
            return bool(getattr(result, "rowcount", 0))

    @offloop
    def stop(self, key: str, status: str, now: datetime, by: str | None = None) -> bool:
        """End a pending escalation (``claimed`` by someone, or ``resolved``)."""
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                update(Escalation)
                .where(Escalation.key == key, Escalation.status == "pending")
                .values(status=status, due_at=None, claimed_by=by, updated_at=now.astimezone(UTC))
            )
            return bool(getattr(result, "rowcount", 0))

    @offloop
    def purge(self, before: datetime) -> int:
        """Delete finished escalations last changed before ``before``; returns how many."""
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                delete(Escalation).where(
                    Escalation.status != "pending", Escalation.updated_at < before.astimezone(UTC)
                )
            )
            return int(getattr(result, "rowcount", 0) or 0)
