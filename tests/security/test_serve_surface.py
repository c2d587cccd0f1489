"""Point 11: what `cloudops serve` exposes. No /openapi.json, /docs or /redoc; with an
internal port, /alertmanager answers only there (the Ingress never references it)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.serving import free_port
from tests.conftest import RunningBot

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", ["/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"])
def test_api_description_is_not_served(bot: RunningBot, path: str) -> None:
    assert httpx.get(f"{bot.url}{path}").status_code == 404


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """The real `cloudops serve --internal-port`, on two free loopback ports."""
    public, internal, dead = free_port(), free_port(), free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path_factory.mktemp("home")),
        "CLOUDOPS_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "FEISHU_APP_ID": "cli_surface_test",
        "FEISHU_APP_SECRET": "not-a-secret",
        "FEISHU_VERIFICATION_TOKEN": "not-a-token",
        "FEISHU_ENCRYPT_KEY": "not-a-key",
        "FEISHU_DOMAIN": f"http://127.0.0.1:{dead}",
        "PROMETHEUS_URL": f"http://127.0.0.1:{dead}",
        "ALERTMANAGER_WEBHOOK_TOKEN": "alert-token-1",
    }
    cloudops = Path(sys.executable).with_name("cloudops")
    command = [str(cloudops), "serve", "--internal-port", str(internal), "--port", str(public)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                httpx.get(f"http://127.0.0.1:{public}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"cloudops serve exited {process.returncode}: {output[-2000:]}")
        yield public, internal
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_has_no_openapi(served: tuple[int, int]) -> None:
    public, internal = served
    for port in (public, internal):
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json").status_code == 404


def test_alertmanager_answers_only_on_the_internal_port(served: tuple[int, int]) -> None:
    public, internal = served
    auth = {"Authorization": "Bearer wrong-token"}
    assert httpx.post(f"http://127.0.0.1:{public}/alertmanager", headers=auth).status_code == 404
    # On the internal port the route exists: a wrong token is refused by the route itself.
    assert httpx.post(f"http://127.0.0.1:{internal}/alertmanager", headers=auth).status_code == 401


def test_feishu_events_and_health_answer_on_the_public_port(served: tuple[int, int]) -> None:
    public, _ = served
    assert httpx.get(f"http://127.0.0.1:{public}/healthz").status_code == 200
    refused = httpx.post(f"http://127.0.0.1:{public}/feishu/events", content=b"{not json")
    assert refused.status_code == 400
