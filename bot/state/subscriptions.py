"""Scheduled digest subscriptions of group chats."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from bot.state.engine import offloop, utcnow
from bot.state.models import Subscription

__all__ = ["SubscriptionRecord", "SqlSubscriptions"]


@dataclass(frozen=True)
class SubscriptionRecord:
    id: str
    chat_id: str
    kind: str
    target: str
    schedule: str
    created_by: str


def _record(r: Subscription) -> SubscriptionRecord:
    return SubscriptionRecord(r.id, r.chat_id, r.kind, r.target, r.schedule, r.created_by)


class SqlSubscriptions:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @offloop
    def add(
        self, *, chat_id: str, kind: str, target: str, schedule: str, created_by: str
    ) -> SubscriptionRecord:
        row = Subscription(
            id="sub_" + secrets.token_hex(4),
            chat_id=chat_id,
            kind=kind,
            target=target,
            schedule=schedule,
            created_by=created_by,
            created_at=utcnow(),
        )
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            session.add(row)
        return _record(row)

    @offloop
    def list(self, chat_id: str | None = None) -> list[SubscriptionRecord]:
        with Session(self._engine) as session:
            query = select(Subscription).order_by(Subscription.created_at)
            if chat_id is not None:
                query = query.where(Subscription.chat_id == chat_id)
            return [_record(r) for r in session.scalars(query)]

    @offloop
    def remove(self, sub_id: str, chat_id: str) -> bool:
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                delete(Subscription).where(
                    Subscription.id == sub_id, Subscription.chat_id == chat_id
                )
            )
            return bool(getattr(result, "rowcount", 0))
