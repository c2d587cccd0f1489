"""Pending actions (fix plans, undos, scaling) and their atomic state transitions.

A click is honoured by exactly one caller: ``claim`` moves a pending action to
``applying`` with a conditional UPDATE, which the database serialises across replicas.
An action left ``applying`` by a process that died is moved to ``interrupted`` by
``interrupt_stale``, the same way; nothing ever leaves ``interrupted`` for ``pending``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from bot.state.engine import offloop, utcnow
from bot.state.models import PendingAction
from config.settings import DEFAULT_CLUSTER

__all__ = ["ActionRecord", "ActionStatus", "ClaimOutcome", "SqlApprovals"]


class ActionStatus(StrEnum):
    """Where a pending action is: ``pending`` until decided, then one of the others."""

    PENDING = "pending"
    APPLYING = "applying"
    APPLIED = "applied"
    REJECTED = "rejected"
    EXPIRED = "expired"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class ClaimOutcome(StrEnum):
    """What ``claim`` did; the value is the result the audit log records."""

    CLAIMED = "claimed"
    MISSING = "missing"
    EXPIRED = "expired"  # it was still pending, past its expiry: now expired
    ALREADY_APPLYING = "already_applying"
    ALREADY_APPLIED = "already_applied"
    ALREADY_REJECTED = "already_rejected"
    ALREADY_EXPIRED = "already_expired"
    ALREADY_FAILED = "already_failed"
    ALREADY_INTERRUPTED = "already_interrupted"

    @classmethod
    def already(cls, status: ActionStatus) -> ClaimOutcome:
        """The outcome for an action someone had moved to ``status`` before."""
        return _ALREADY[status]

    @property
    def decided_status(self) -> ActionStatus | None:
        """For an ``ALREADY_*`` outcome, the status the action had been moved to."""
        return _DECIDED.get(self)


_ALREADY = {
    ActionStatus.APPLYING: ClaimOutcome.ALREADY_APPLYING,
    ActionStatus.APPLIED: ClaimOutcome.ALREADY_APPLIED,
    ActionStatus.REJECTED: ClaimOutcome.ALREADY_REJECTED,
    ActionStatus.EXPIRED: ClaimOutcome.ALREADY_EXPIRED,
    ActionStatus.FAILED: ClaimOutcome.ALREADY_FAILED,
    ActionStatus.INTERRUPTED: ClaimOutcome.ALREADY_INTERRUPTED,
}
_DECIDED = {outcome: status for status, outcome in _ALREADY.items()}


@dataclass(frozen=True)
class ActionRecord:
    id: str
    kind: str
    payload: str
    payload_hash: str
    namespace: str
    target: str
    chat_id: str
    message_id: str | None
    proposed_by: str
    status: ActionStatus
    created_at: datetime
    expires_at: datetime
    decided_by: str | None
    result: str | None
    card_view: str | None = None  # the plan as its cards show it (JSON), when recorded
    cluster: str = DEFAULT_CLUSTER  # where the plan applies, and nowhere else


def _record(row: PendingAction) -> ActionRecord:
    return ActionRecord(
        id=row.id,
        kind=row.kind,
        payload=row.payload,
        payload_hash=row.payload_hash,
        namespace=row.namespace,
        target=row.target,
        chat_id=row.chat_id,
        message_id=row.message_id,
        proposed_by=row.proposed_by,
        status=ActionStatus(row.status),
        created_at=row.created_at,
        expires_at=row.expires_at,
        decided_by=row.decided_by,
        result=row.result,
        card_view=row.card_view,
        cluster=row.cluster,
    )


class SqlApprovals:
    """``clock`` says what "now" is for expiry and the age of applies (tests freeze it)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self._engine = engine
        self._clock = clock

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC)

    @offloop
    def propose(
        self,
        *,
        kind: str,
        payload: str,
        payload_hash: str,
        namespace: str,
        target: str,
        chat_id: str,
        proposed_by: str,
        ttl: timedelta,
        cluster: str = DEFAULT_CLUSTER,
    ) -> ActionRecord:
        now = self._now()
        row = PendingAction(
            id="pl_" + secrets.token_hex(8),
            kind=kind,
            payload=payload,
            payload_hash=payload_hash,
            namespace=namespace,
            target=target,
            chat_id=chat_id,
            proposed_by=proposed_by,
            status=ActionStatus.PENDING,
            created_at=now,
            expires_at=now + ttl,
            cluster=cluster,
        )
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            session.add(row)
        return _record(row)

    @offloop
    def get(self, action_id: str) -> ActionRecord | None:
        with Session(self._engine) as session:
            row = session.get(PendingAction, action_id)
            return _record(row) if row else None

    @offloop
    def attach_view(self, action_id: str, card_view: str) -> None:
        """Record how the plan's cards show it (before its buttons show)."""
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(PendingAction)
                .where(PendingAction.id == action_id)
                .values(card_view=card_view)
            )

    @offloop
    def attach_message(self, action_id: str, message_id: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(PendingAction)
                .where(PendingAction.id == action_id)
                .values(message_id=message_id)
            )

    @offloop
    def claim(self, action_id: str, decided_by: str, new_status: ActionStatus) -> ClaimOutcome:
        """Move ``pending`` → ``new_status`` once; report why not otherwise."""
        now = self._now()
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                update(PendingAction)
                .where(
                    PendingAction.id == action_id,
                    PendingAction.status == ActionStatus.PENDING,
                    PendingAction.expires_at > now,
                )
                .values(status=new_status, decided_by=decided_by, decided_at=now)
            )
            if getattr(result, "rowcount", 0) == 1:
                return ClaimOutcome.CLAIMED
            row = session.get(PendingAction, action_id)
            if row is None:
                return ClaimOutcome.MISSING
            if row.status == ActionStatus.PENDING:
                row.status = ActionStatus.EXPIRED
                return ClaimOutcome.EXPIRED
            return ClaimOutcome.already(ActionStatus(row.status))

    @offloop
    def finish(self, action_id: str, status: ActionStatus, result: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.execute(
                update(PendingAction)
                .where(PendingAction.id == action_id)
                .values(status=status, result=result)
            )

    @offloop
    def pending(self) -> list[ActionRecord]:
        with Session(self._engine) as session:
            rows = session.scalars(
                select(PendingAction).where(PendingAction.status == ActionStatus.PENDING)
            )
            return [_record(r) for r in rows]

    @offloop
    def interrupt_stale(self, older_than: timedelta) -> list[ActionRecord]:
        """Move actions ``applying`` for longer than ``older_than`` (since their approval)
        to ``interrupted``: the process applying them died without recording an outcome.
        Returns the actions this call moved; each is moved by one caller only, and none is
        applied again."""
        since = func.coalesce(PendingAction.decided_at, PendingAction.created_at)
        stale = (PendingAction.status == ActionStatus.APPLYING, since < self._now() - older_than)
        with Session(self._engine) as session:
            ids = list(session.scalars(select(PendingAction.id).where(*stale)))
        moved: list[ActionRecord] = []
        for action_id in ids:
            with Session(self._engine) as session, session.begin():
                result = session.execute(
                    update(PendingAction)
                    .where(PendingAction.id == action_id, *stale)
                    .values(
                        status=ActionStatus.INTERRUPTED, result=json.dumps({"error": "interrupted"})
                    )
                )
                row = session.get(PendingAction, action_id)
                if getattr(result, "rowcount", 0) == 1 and row is not None:
                    moved.append(_record(row))
        return moved
