"""Small durable key → value facts (e.g. which message shows an alert group)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.state.engine import offloop, utcnow
from bot.state.models import KeyValue

__all__ = ["SqlKeyValues"]


class SqlKeyValues:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @offloop
    def get(self, key: str) -> str | None:
        with Session(self._engine) as session:
            row = session.get(KeyValue, key)
            return row.value if row else None

    @offloop
    def put(self, key: str, value: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.merge(KeyValue(key=key, value=value, updated_at=utcnow()))
