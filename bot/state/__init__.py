"""The state store: one object whose sections each own one table.

With a Redis URL, the short-lived coordination state (delivery claims, leases) moves to
Redis, with the SQL tables as the fallback while Redis is down (``failover``); everything
durable (approvals, audit, sessions, subscriptions, key-values, deliveries being
answered) stays in the SQL database, PostgreSQL when several replicas share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, text

from bot.state.approvals import ActionRecord, SqlApprovals
from bot.state.audit import AuditRecord, SqlAudit
from bot.state.coordination import Dedupe, Leases
from bot.state.dedupe import SqlDedupe
from bot.state.engine import make_engine, migrate
from bot.state.escalations import SqlEscalations
from bot.state.failover import FailoverDedupe, FailoverLeases, RedisSwitch
from bot.state.incidents import SqlIncidents
from bot.state.inflight import SqlInflight
from bot.state.kv import SqlKeyValues
from bot.state.leases import SqlLeases
from bot.state.oncall import SqlOncallChanges
from bot.state.redis_connection import DEFAULT_PREFIX, RedisConnection, connect_redis
from bot.state.redis_dedupe import RedisDedupe
from bot.state.redis_leases import RedisLeases
from bot.state.sessions import SqlSessions
from bot.state.subscriptions import SqlSubscriptions, SubscriptionRecord
from bot.state.timeline import SqlTimeline

__all__ = [
    "Store",
    "open_store",
    "Dedupe",
    "Leases",
    "ActionRecord",
    "AuditRecord",
    "SubscriptionRecord",
]

# Every replica migrates at start; on PostgreSQL they queue on this advisory lock.
MIGRATION_LOCK = 0x0C10_0D05


@dataclass
class Store:
    engine: Engine
    dedupe: Dedupe
    approvals: SqlApprovals
    audit: SqlAudit
    sessions: SqlSessions
    subscriptions: SqlSubscriptions
    leases: Leases
    kv: SqlKeyValues
    inflight: SqlInflight
    oncall: SqlOncallChanges
    escalations: SqlEscalations
    timeline: SqlTimeline
    incidents: SqlIncidents
    redis: RedisConnection | None = None

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def close(self) -> None:
        self.engine.dispose()


def _migrate_once(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        migrate(engine)
        return
    with engine.connect() as lock:
        lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            migrate(engine)
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})


def open_store(
    url: str,
    *,
    run_migrations: bool = True,
    redis_url: str | None = None,
    redis_prefix: str = DEFAULT_PREFIX,
    dedupe_ttl: timedelta = timedelta(hours=24),
) -> Store:
    """Open (and migrate) the store at a SQLAlchemy URL: SQLite by default, or PostgreSQL.

    ``redis_url`` puts delivery claims (``SET NX EX`` with ``dedupe_ttl``) and leases in
    Redis under ``redis_prefix``, falling back to the SQL tables while Redis fails.
    """
    engine = make_engine(url)
    if run_migrations:
        _migrate_once(engine)
    redis = connect_redis(redis_url, redis_prefix) if redis_url else None
    switch = RedisSwitch()
    return Store(
        engine=engine,
        dedupe=FailoverDedupe(RedisDedupe(redis, dedupe_ttl), SqlDedupe(engine), switch)
        if redis
        else SqlDedupe(engine),
        approvals=SqlApprovals(engine),
        audit=SqlAudit(engine),
        sessions=SqlSessions(engine),
        subscriptions=SqlSubscriptions(engine),
        leases=FailoverLeases(RedisLeases(redis), SqlLeases(engine), switch)
        if redis
        else SqlLeases(engine),
        kv=SqlKeyValues(engine),
        inflight=SqlInflight(engine),
        oncall=SqlOncallChanges(engine),
        escalations=SqlEscalations(engine),
        timeline=SqlTimeline(engine),
        incidents=SqlIncidents(engine),
        redis=redis,
    )
