"""Append-only audit log of every decision and change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.state.engine import offloop, utcnow
from bot.state.models import AuditEntry

__all__ = ["AuditRecord", "SqlAudit"]


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    actor: str
    chat_id: str
    action: str
    action_id: str | None
    payload_hash: str | None
    result: str
    detail: str


class SqlAudit:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @offloop
    def record(
        self,
        *,
        actor: str,
        chat_id: str,
        action: str,
        result: str,
        action_id: str | None = None,
        payload_hash: str | None = None,
        detail: str = "",
    ) -> None:
        with Session(self._engine) as session, session.begin():
            session.add(
                AuditEntry(
                    at=utcnow(),
                    actor=actor,
                    chat_id=chat_id,
                    action=action,
                    action_id=action_id,
                    payload_hash=payload_hash,
                    result=result,
                    detail=detail[:4000],
                )
            )

    @offloop
    def recent(self, limit: int = 10, chat_id: str | None = None) -> list[AuditRecord]:
        """The newest ``limit`` entries, of one chat when ``chat_id`` is given."""
        query = select(AuditEntry)
        if chat_id is not None:
            query = query.where(AuditEntry.chat_id == chat_id)
        with Session(self._engine) as session:
            rows = session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)).all()
            return [
                AuditRecord(
                    r.at,
                    r.actor,
                    r.chat_id,
                    r.action,
                    r.action_id,
                    r.payload_hash,
                    r.result,
                    r.detail,
                )
                for r in rows
            ]
