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


def action_columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("pending_actions")}


def test_a_plan_card_view_moves_from_the_key_values_into_its_record(state_url: str) -> None:
    engine = make_engine(state_url)
    migrate_to(engine, "0004")
    assert "card_view" not in action_columns(engine)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        for plan_id in ("pl_with_view", "pl_without_view"):
            conn.execute(
                text(
                    "INSERT INTO pending_actions (id, kind, payload, payload_hash, namespace,"
                    " target, chat_id, proposed_by, status, created_at, expires_at)"
                    " VALUES (:id, 'fix', '{}', 'h', 'default', 'nginx', 'oc_ops', 'ou_p',"
                    " 'pending', :at, :at)"
                ),
                {"id": plan_id, "at": at},
            )
        for key, value in (("fix.view:pl_with_view", '{"plan_id": "pl_with_view"}'),
                           ("alert:g", "m")):  # fmt: skip
            conn.execute(
                text(
                    "INSERT INTO key_values (key, value, updated_at, expires_at)"
                    " VALUES (:key, :value, :at, :later)"
                ),
                {"key": key, "value": value, "at": at, "later": at + timedelta(days=30)},
            )

    migrate_to(engine, "0005")
    store = open_store(state_url)
    try:
        with_view = asyncio.run(store.approvals.get("pl_with_view"))
        without_view = asyncio.run(store.approvals.get("pl_without_view"))
        assert with_view is not None and with_view.card_view == '{"plan_id": "pl_with_view"}'
        assert without_view is not None and without_view.card_view is None
        with store.engine.connect() as conn:
            keys = set(conn.scalars(select(KeyValue.key)))
        assert keys == {"alert:g"}  # the copy is gone; nothing else is touched
    finally:
        store.close()

    migrate_to(engine, "0004", down=True)
    assert "card_view" not in action_columns(engine)
    engine.dispose()
