"""Deliveries being answered right now, so that a replica's crash does not lose them.

A claimed delivery is recorded with its payload and a lease its worker keeps renewing;
the record goes when the answer is done. A record whose lease ran out belongs to a
replica that died (or was stopped mid-command): any replica may take it over, once,
with a conditional UPDATE the database serialises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.state.engine import offloop, utcnow
from bot.state.models import InflightDelivery

__all__ = ["InflightRecord", "SqlInflight"]


@dataclass(frozen=True)
class InflightRecord:
    key: str
    kind: str
    payload: str
    attempts: int


class SqlInflight:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @offloop
    def begin(self, key: str, kind: str, payload: str, holder: str, lease: timedelta) -> None:
        """Record ``key`` as being answered by ``holder`` (a resumed record is kept)."""
        now = utcnow()
        try:
            with Session(self._engine) as session, session.begin():
                session.add(
                    InflightDelivery(
                        key=key[:200],
                        kind=kind,
                        payload=payload,
                        holder=holder,
                        lease_until=now + lease,
                        attempts=1,
                        started_at=now,
                    )
                )
        except IntegrityError:  # taken over by take_stale: already ours
            self._hold(key, holder, lease)

    @offloop
    def renew(self, key: str, holder: str, lease: timedelta) -> bool:
        """Extend the lease while ``holder`` still has the record."""
        return self._hold(key, holder, lease)

    def _hold(self, key: str, holder: str, lease: timedelta) -> bool:
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                update(InflightDelivery)
                .where(InflightDelivery.key == key[:200], InflightDelivery.holder == holder)
                .values(lease_until=utcnow() + lease)
            )
            return getattr(result, "rowcount", 0) == 1

    @offloop
    def release(self, key: str, holder: str) -> None:
        """Let the lease run out now (a stopping replica): another replica resumes it."""
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(InflightDelivery)
                .where(InflightDelivery.key == key[:200], InflightDelivery.holder == holder)
                .values(lease_until=utcnow() - timedelta(seconds=1))
            )

    @offloop
    def finish(self, key: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(delete(InflightDelivery).where(InflightDelivery.key == key[:200]))

    @offloop
    def take_stale(self, holder: str, lease: timedelta, limit: int = 20) -> list[InflightRecord]:
        """Take over records whose lease ran out; each is taken by one caller only."""
        now = utcnow()
        with Session(self._engine) as session:
            stale = session.execute(
                select(InflightDelivery.key)
                .where(InflightDelivery.lease_until < now)
                .order_by(InflightDelivery.started_at)
                .limit(limit)
            ).scalars()
            keys = list(stale)
        taken: list[InflightRecord] = []
        for key in keys:
            with Session(self._engine) as session, session.begin():
                result = session.execute(
                    update(InflightDelivery)
                    .where(InflightDelivery.key == key, InflightDelivery.lease_until < now)
                    .values(
                        holder=holder,
                        lease_until=utcnow() + lease,
                        attempts=InflightDelivery.attempts + 1,
                    )
                )
                if getattr(result, "rowcount", 0) != 1:
                    continue  # another replica took it
                row = session.get(InflightDelivery, key)
                assert row is not None
                taken.append(InflightRecord(row.key, row.kind, row.payload, row.attempts))
        return taken
