"""On-call overrides and swaps of the configured teams, each with an end."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from bot.state.engine import offloop, utcnow
from bot.state.models import OncallChange

__all__ = ["OncallChangeRecord", "SqlOncallChanges"]


@dataclass(frozen=True)
class OncallChangeRecord:
    id: str
    team: str
    kind: str  # "override" | "swap"
    people: tuple[str, ...]
    starts: datetime
    ends: datetime
    created_by: str


def _record(r: OncallChange) -> OncallChangeRecord:
    people = tuple(p for p in r.people.split(",") if p)
    return OncallChangeRecord(r.id, r.team, r.kind, people, r.starts, r.ends, r.created_by)


class SqlOncallChanges:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @offloop
    def add(
        self,
        *,
        team: str,
        kind: str,
        people: tuple[str, ...],
        starts: datetime,
        ends: datetime,
        created_by: str,
    ) -> OncallChangeRecord:
        row = OncallChange(
            id="oc_chg_" + secrets.token_hex(4),
            team=team,
            kind=kind,
            people=",".join(people),
            starts=starts.astimezone(UTC),
            ends=ends.astimezone(UTC),
            created_by=created_by,
            created_at=utcnow(),
        )
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            session.add(row)
        return _record(row)

    @offloop
    def active(self, team: str, after: datetime) -> list[OncallChangeRecord]:
        """The team's changes that have not ended at ``after``, oldest first."""
        with Session(self._engine) as session:
            rows = session.scalars(
                select(OncallChange)
                .where(OncallChange.team == team, OncallChange.ends > after.astimezone(UTC))
                .order_by(OncallChange.starts, OncallChange.created_at)
            )
            return [_record(r) for r in rows]

    @offloop
    def purge(self, before: datetime) -> int:
        """Delete changes that ended before ``before``; returns how many."""
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                delete(OncallChange).where(OncallChange.ends <= before.astimezone(UTC))
            )
            return int(getattr(result, "rowcount", 0) or 0)
