"""Fixtures of the incident tests: a private PostgreSQL database and alert-bot configs."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A SQLAlchemy URL of a database that exists only for this test."""
    name = f"cloudops_incidents_{secrets.token_hex(6)}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def config_file(tmp_path: Path, config: dict[str, Any]) -> str:
    path = tmp_path / f"config-{secrets.token_hex(3)}.yaml"
    path.write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
    return str(path)
