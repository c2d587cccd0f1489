"""Persistent at-most-once claims for deliveries, clicks and job runs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.state.engine import offloop, utcnow
from bot.state.models import ProcessedEvent

__all__ = ["SqlDedupe"]


class SqlDedupe:
    """``claim(key)`` is True exactly once per key, across restarts and replicas."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @offloop
    def claim(self, key: str, kind: str = "event") -> bool:
        try:
            with Session(self._engine) as session, session.begin():
                session.add(ProcessedEvent(key=key[:200], kind=kind, created_at=utcnow()))
        except IntegrityError:
            return False
        return True

    @offloop
    def release(self, key: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(delete(ProcessedEvent).where(ProcessedEvent.key == key[:200]))

    @offloop
    def purge(self, older_than: timedelta) -> int:
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                delete(ProcessedEvent).where(ProcessedEvent.created_at < utcnow() - older_than)
            )
            return int(getattr(result, "rowcount", 0) or 0)
