"""State checks against real PostgreSQL and Redis: reachable, migrations current, and no
password in what the doctor prints."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator

import psycopg
import pytest

from bot.doctor.inputs import DoctorInput
from bot.doctor.result import Check
from bot.doctor.store import store_checks
from bot.state import open_store
from config.settings import load_settings

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_url() -> Iterator[str]:
    name = f"cloudops_doctor_{secrets.token_hex(6)}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(**env: str) -> dict[str, Check]:
    settings = load_settings(env)
    return {c.name: c for c in asyncio.run(store_checks(DoctorInput(settings, timeout=5)))}


def test_an_unmigrated_database_warns_until_serve_migrates_it(pg_url: str) -> None:
    before = _run(DATABASE_URL=pg_url)
    assert before["store.database"].status == "ok"
    assert before["store.migrations"].status == "warn"
    assert "nothing" in before["store.migrations"].detail
    open_store(load_settings({"DATABASE_URL": pg_url}).db_url).close()  # as serve does
    after = _run(DATABASE_URL=pg_url)
    assert after["store.migrations"].status == "ok"


def test_redis_is_checked_and_passwords_stay_hidden() -> None:
    dead = _run(
        DATABASE_URL="postgresql://postgres:s3cret-pw@127.0.0.1:1/nothing",
        REDIS_URL="redis://:other-pw@127.0.0.1:1/0",
    )
    assert dead["store.database"].status == "fail"
    assert dead["store.redis"].status == "fail"
    shown = " ".join(f"{c.detail} {c.fix}" for c in dead.values())
    assert "s3cret-pw" not in shown and "other-pw" not in shown
    alive = _run(DATABASE_URL=ADMIN_DSN, REDIS_URL="redis://127.0.0.1:6379/0")
    assert alive["store.redis"].status == "ok"
