"""The state store: one object whose sections each own one table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from bot.state.approvals import ActionRecord, SqlApprovals
from bot.state.audit import AuditRecord, SqlAudit
from bot.state.dedupe import SqlDedupe
from bot.state.engine import make_engine, migrate
from bot.state.kv import SqlKeyValues
from bot.state.leases import SqlLeases
from bot.state.sessions import SqlSessions
from bot.state.subscriptions import SqlSubscriptions, SubscriptionRecord

__all__ = ["Store", "open_store", "ActionRecord", "AuditRecord", "SubscriptionRecord"]


@dataclass
class Store:
    engine: Engine
    dedupe: SqlDedupe
    approvals: SqlApprovals
    audit: SqlAudit
    sessions: SqlSessions
    subscriptions: SqlSubscriptions
    leases: SqlLeases
    kv: SqlKeyValues

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, run_migrations: bool = True) -> Store:
    """Open (and migrate) the store at a SQLAlchemy URL: SQLite by default, or PostgreSQL."""
    engine = make_engine(url)
    if run_migrations:
        migrate(engine)
    return Store(
        engine=engine,
        dedupe=SqlDedupe(engine),
        approvals=SqlApprovals(engine),
        audit=SqlAudit(engine),
        sessions=SqlSessions(engine),
        subscriptions=SqlSubscriptions(engine),
        leases=SqlLeases(engine),
        kv=SqlKeyValues(engine),
    )
