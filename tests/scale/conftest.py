"""Real Redis and PostgreSQL for the scale-out tests, isolated per run and cleaned up.

Redis keys live under a unique prefix that is deleted afterwards; PostgreSQL state lives
in a fresh database created here and dropped afterwards (the shared ``test`` database is
only used to issue CREATE/DROP DATABASE).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
import redis

from sandbox.feishu import FakePlatform
from tests.scale.replicas import Replicas

REDIS_URL = "redis://127.0.0.1:6379/0"
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/test"


def _drop_prefix(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
    finally:
        client.close()


@pytest.fixture(scope="module")
def redis_prefix() -> Iterator[str]:
    prefix = f"cloudops-test-{secrets.token_hex(6)}:"
    yield prefix
    _drop_prefix(prefix)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A SQLAlchemy URL of a database that exists only for this module."""
    name = f"cloudops_scale_{secrets.token_hex(6)}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def scale_platform() -> Iterator[FakePlatform]:
    with FakePlatform(app_id="cli_scale_" + secrets.token_hex(4)) as fake:
        yield fake


@pytest.fixture(scope="module")
def replicas(
    scale_platform: FakePlatform,
    pg_url: str,
    redis_prefix: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Replicas]:
    group = Replicas(
        scale_platform,
        pg_url,
        REDIS_URL,
        redis_prefix,
        tmp_path_factory.mktemp("replicas"),
        env={"SCALE_LEASE_TTL_MS": "2000"},
    )
    yield group
    group.stop()
