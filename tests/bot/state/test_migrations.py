"""Alembic: a store made before key-values expired upgrades in place, and back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, select, text

from bot.state import open_store
from bot.state.engine import MIGRATIONS, make_engine, utcnow
from bot.state.models import KeyValue


def migrate_to(engine: Engine, revision: str, *, down: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def kv_columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("key_values")}


def test_existing_entries_survive_the_upgrade_with_an_expiry(state_url: str) -> None:
    engine = make_engine(state_url)
    migrate_to(engine, "0001")
    assert "expires_at" not in kv_columns(engine)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO key_values (key, value, updated_at) VALUES ('alert:g', 'm', :at)"),
            {"at": datetime(2026, 1, 1, tzinfo=UTC)},
        )

    store = open_store(state_url)  # migrates to the newest revision, as a replica does
    try:
        assert asyncio.run(store.kv.get("alert:g")) == "m"
        assert asyncio.run(store.kv.purge()) == 0
        with store.engine.connect() as conn:
            expires = conn.scalar(select(KeyValue.expires_at).where(KeyValue.key == "alert:g"))
        assert expires is not None
        expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
        assert timedelta(days=29) < expires - utcnow() <= timedelta(days=30)
    finally:
        store.close()

    migrate_to(engine, "0001", down=True)
    assert "expires_at" not in kv_columns(engine)
    migrate_to(engine, "head")
    assert "expires_at" in kv_columns(engine)
    engine.dispose()
