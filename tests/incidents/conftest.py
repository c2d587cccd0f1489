"""Fixtures of the incident tests: a private PostgreSQL database, a real Alertmanager."""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
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


@dataclass
class RealAlertmanager:
    url: str
    process: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


ALERTMANAGER_CONFIG = """
route:
  receiver: "null"
  group_wait: 1h
receivers:
  - name: "null"
"""


@pytest.fixture(scope="session")
def real_alertmanager(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealAlertmanager]:
    """A private ``prometheus-alertmanager`` (Debian) on a free loopback port, no cluster."""
    binary = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
    if binary is None:
        raise RuntimeError("prometheus-alertmanager is not installed (scripts/system-deps.sh)")
    workdir = tmp_path_factory.mktemp("alertmanager")
    (workdir / "alertmanager.yml").write_text(ALERTMANAGER_CONFIG, encoding="utf-8")
    port = _free_port()
    log = (workdir / "alertmanager.log").open("wb")
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={workdir / 'alertmanager.yml'}",
            f"--storage.path={workdir / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/-/ready", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            text = (workdir / "alertmanager.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"alertmanager did not become ready:\n{text}")
        time.sleep(0.05)
    try:
        yield RealAlertmanager(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
