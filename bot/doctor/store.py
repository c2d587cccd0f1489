"""State: the database answers and its schema is at the newest migration; Redis answers."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import make_url, text

from bot.doctor.inputs import DoctorInput
from bot.doctor.result import Check
from bot.state.engine import MIGRATIONS, make_engine
from bot.state.redis_connection import connect_redis
from config.availability import availability

__all__ = ["store_checks"]


def _head() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def _database(url: str) -> list[Check]:
    shown = make_url(url).render_as_string(hide_password=True)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            return [
                Check.warn(
                    "store.database",
                    f"no database yet at {path}",
                    "cloudops serve creates and migrates it at start (or set DATABASE_URL)",
                )
            ]
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = MigrationContext.configure(conn).get_current_revision()
    except Exception as exc:
        return [
            Check.fail(
                "store.database",
                f"{shown} does not answer: {type(exc).__name__}",
                "check DATABASE_URL (postgresql://user:password@host:5432/db) and that the "
                "database accepts connections from this host",
            )
        ]
    finally:
        engine.dispose()
    checks = [Check.ok("store.database", f"{shown} answers")]
    head = _head()
    if current == head:
        checks.append(Check.ok("store.migrations", f"schema at the newest revision {head}"))
    else:
        checks.append(
            Check.warn(
                "store.migrations",
                f"schema at {current or 'nothing'}, newest is {head}",
                "cloudops serve migrates at start: start it once (replicas queue on a lock)",
            )
        )
    return checks


async def store_checks(inputs: DoctorInput) -> list[Check]:
    settings = inputs.settings
    checks = await asyncio.to_thread(_database, settings.db_url)
    redis_url = settings.secret("redis_url")
    if not availability(settings).redis:
        return checks
    try:
        redis = connect_redis(redis_url, settings.redis.key_prefix)
        try:
            await redis.ping(inputs.timeout)
        finally:
            await redis.client.aclose()
        checks.append(Check.ok("store.redis", "Redis answers"))
    except Exception as exc:
        checks.append(
            Check.fail(
                "store.redis",
                f"Redis does not answer: {type(exc).__name__}",
                "check REDIS_URL (redis://[:password@]host:6379/0); prove it: redis-cli -u "
                "$REDIS_URL ping",
            )
        )
    return checks
