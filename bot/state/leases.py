"""Named leases (leader election for the scheduler) held for a time and renewed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.state.engine import offloop, utcnow
from bot.state.models import Lease

__all__ = ["SqlLeases"]


class SqlLeases:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @offloop
    def acquire(self, name: str, holder: str, ttl: timedelta) -> bool:
        """Take or renew ``name`` for ``holder``; False while someone else holds it."""
        now = utcnow()
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                update(Lease)
                .where(Lease.name == name, or_(Lease.holder == holder, Lease.expires_at < now))
                .values(holder=holder, expires_at=now + ttl)
            )
            if getattr(result, "rowcount", 0) == 1:
                return True
        try:
            with Session(self._engine) as session, session.begin():
                session.add(Lease(name=name, holder=holder, expires_at=now + ttl))
        except IntegrityError:
            return False
        return True

    @offloop
    def release(self, name: str, holder: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(Lease)
                .where(Lease.name == name, Lease.holder == holder)
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )
