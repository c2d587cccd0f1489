"""Small durable key → value facts (e.g. which message shows an alert group), each with
an expiry: ``get`` never returns an expired value and ``purge`` deletes them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from bot.state.engine import offloop, utcnow
from bot.state.models import KeyValue

__all__ = ["SqlKeyValues"]


class SqlKeyValues:
    """``clock`` says what "now" is for expiry (tests freeze it)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self._engine = engine
        self._clock = clock

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC)

    @offloop
    def get(self, key: str) -> str | None:
        with Session(self._engine) as session:
            return session.scalar(
                select(KeyValue.value).where(KeyValue.key == key, KeyValue.expires_at > self._now())
            )

    @offloop
    def put(self, key: str, value: str, *, ttl: timedelta) -> None:
        """Store ``value`` under ``key`` for ``ttl`` from now (a new put restarts it)."""
        if ttl <= timedelta(0):
            raise ValueError(f"a key-value ttl must be positive, got {ttl}")
        now = self._now()
        with Session(self._engine) as session, session.begin():
            session.merge(KeyValue(key=key, value=value, updated_at=now, expires_at=now + ttl))

    @offloop
    def purge(self) -> int:
        """Delete every expired entry; returns how many."""
        with Session(self._engine) as session, session.begin():
            result = session.execute(delete(KeyValue).where(KeyValue.expires_at <= self._now()))
            return int(getattr(result, "rowcount", 0) or 0)
