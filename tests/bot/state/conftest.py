"""The state tests run on both real engines: a SQLite file and a fresh PostgreSQL
database (created per test, dropped afterwards), with a frozen clock where the store
sections take one."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from bot.state import Store, open_store
from bot.state.approvals import SqlApprovals
from bot.state.kv import SqlKeyValues
from tests.push.conftest import FrozenClock

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(params=["sqlite", "postgresql"])
def state_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.db'}"
        return
    name = f"cloudops_state_{secrets.token_hex(6)}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


def frozen(store: Store, clock: FrozenClock) -> Store:
    """``store`` whose key-values and approvals read the time from ``clock``."""
    return replace(
        store,
        kv=SqlKeyValues(store.engine, clock),
        approvals=SqlApprovals(store.engine, clock),
    )


@pytest.fixture
def store(state_url: str, clock: FrozenClock) -> Iterator[Store]:
    opened = open_store(state_url)
    yield frozen(opened, clock)
    opened.close()


async def propose(store: Store) -> str:
    """A pending fix plan for default/nginx in oc_ops; its id."""
    record = await store.approvals.propose(
        kind="fix",
        payload="{}",
        payload_hash="h" * 64,
        namespace="default",
        target="nginx",
        chat_id="oc_ops",
        proposed_by="ou_proposer",
        ttl=timedelta(hours=1),
    )
    return record.id
