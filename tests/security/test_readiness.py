"""Point 6: /readyz says whether the bot can take work (state store, workers; Redis down is
degraded, still ready). Prometheus, the cluster, the LLM and Alertmanager are dependencies:
shown in /healthz?verbose=1 and cloudops_dependency_up, never a reason to leave the Service.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from bot.app.capabilities import agents_capability, prometheus_capability, push_capabilities
from sandbox.feishu import FakePlatform
from tests.conftest import RunningBot, start_bot

LLM_KEY = "sk-llm-probe-key-123456"


class _Healthy(BaseHTTPRequestHandler):
    """Alertmanager's health endpoint and an OpenAI-style ``GET /v1/models`` that wants the
    key (neither Alertmanager nor a model server is installed here)."""

    def do_GET(self) -> None:
        if self.path == "/v1/models":
            authorized = self.headers.get("Authorization") == f"Bearer {LLM_KEY}"
            self.send_response(200 if authorized else 401)
        else:
            self.send_response(200 if self.path == "/-/healthy" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def alertmanager() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Healthy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def bot_without_prometheus(
    platform: FakePlatform, db_url: str, alertmanager: str
) -> Iterator[RunningBot]:
    running = start_bot(
        platform,
        db_url,
        capabilities=[prometheus_capability, *push_capabilities()],
        PROMETHEUS_URL="http://127.0.0.1:9",  # nothing listens: Prometheus is down
        ALERTMANAGER_URL=alertmanager,
    )
    yield running
    running.stop()


def test_readyz_is_200_while_prometheus_is_down(bot_without_prometheus: RunningBot) -> None:
    ready = httpx.get(f"{bot_without_prometheus.url}/readyz")
    assert ready.status_code == 200
    checks = ready.json()["checks"]
    assert checks["database"] == "ok" and checks["workers"] == "ok"
    assert "prometheus" not in checks


def test_healthz_verbose_shows_each_dependency(bot_without_prometheus: RunningBot) -> None:
    plain = httpx.get(f"{bot_without_prometheus.url}/healthz").json()
    assert plain == {"status": "ok"}  # liveness stays cheap: no probe without verbose
    verbose = httpx.get(f"{bot_without_prometheus.url}/healthz", params={"verbose": "1"}).json()
    dependencies = verbose["dependencies"]
    assert dependencies["prometheus"]["up"] is False
    assert "PrometheusUnreachable" in dependencies["prometheus"]["detail"]
    assert dependencies["alertmanager"] == {"up": True}


def test_dependency_gauge(bot_without_prometheus: RunningBot) -> None:
    metrics = httpx.get(f"{bot_without_prometheus.url}/metrics").text
    assert 'cloudops_dependency_up{cluster="default",dependency="prometheus"} 0.0' in metrics
    assert 'cloudops_dependency_up{cluster="default",dependency="alertmanager"} 1.0' in metrics


def test_rca_still_answers_with_a_card_naming_prometheus(
    bot_without_prometheus: RunningBot,
) -> None:
    bot = bot_without_prometheus
    bot.sender.say("/rca payments", chat_id="oc_rca_down")

    def error_card() -> str | None:
        for message in bot.bot_messages("oc_rca_down"):
            text = json.dumps(message.content, ensure_ascii=False)
            if "unreachable" in text:
                return text
        return None

    text = bot.wait_for(error_card)
    assert "Prometheus" in text  # the card names the dependency that is down


@pytest.mark.parametrize(("key", "up"), [(LLM_KEY, True), ("sk-wrong-key-654321", False)])
def test_llm_probe_asks_for_the_model_list_and_never_shows_the_key(
    platform: FakePlatform,
    db_url: str,
    alertmanager: str,
    monkeypatch: pytest.MonkeyPatch,
    key: str,
    up: bool,
) -> None:
    monkeypatch.setenv("LLM_BASE_URL", f"{alertmanager}/v1")
    monkeypatch.setenv("LLM_MODEL", "probe-model")
    monkeypatch.setenv("LLM_API_KEY", key)
    bot = start_bot(platform, db_url, capabilities=[agents_capability])
    try:
        health = httpx.get(f"{bot.url}/healthz", params={"verbose": "1"}).json()
        assert health["dependencies"]["llm"]["up"] is up
        assert key not in json.dumps(health)
        assert httpx.get(f"{bot.url}/readyz").status_code == 200
    finally:
        bot.stop()
