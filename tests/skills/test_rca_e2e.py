"""/rca end to end where the process matters: the bot's health while Prometheus is down,
and the REST API. (The chat answers are tested in-process: tests/skills/rca.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from bot.app.capabilities import prometheus_capability
from bot.app.rest.rca import rca_api
from sandbox.feishu import FakePlatform
from tests.conftest import RunningBot, start_bot
from tests.skills.conftest import IncidentPrometheus


def _config(tmp_path: Any, prom: IncidentPrometheus) -> str:
    services = {**prom.incident.services_config(), **prom.healthy.services_config()}
    path = tmp_path / "cloudops.yaml"
    path.write_text(yaml.safe_dump({"prometheus": {"services": services}}))
    return str(path)


@pytest.fixture
def rca_bot(
    platform: FakePlatform, db_url: str, tmp_path: Any, incident_prometheus: IncidentPrometheus
) -> Iterator[RunningBot]:
    bot = start_bot(
        platform,
        db_url,
        capabilities=[prometheus_capability, rca_api],
        PROMETHEUS_URL=incident_prometheus.url,
        CLOUDOPS_CONFIG=_config(tmp_path, incident_prometheus),
        CLOUDOPS_API_TOKEN="api-token-1",
    )
    end = incident_prometheus.incident.end.to_pydatetime()
    bot.runtime.services.clock = lambda: end  # the backfilled incident ends here
    yield bot
    bot.stop()


def _final_card(bot: RunningBot, chat: str) -> dict[str, Any]:
    def patched() -> Any:
        sent = bot.bot_messages(chat)
        return sent and sent[0].versions and sent[0]

    message = bot.wait_for(patched, timeout=30)
    return message.content


def test_rca_when_prometheus_is_unreachable(platform: FakePlatform, db_url: str) -> None:
    bot = start_bot(
        platform, db_url, capabilities=[prometheus_capability], PROMETHEUS_URL="http://127.0.0.1:9"
    )
    try:
        bot.sender.say("/rca payments", chat_id="oc_down")
        card = _final_card(bot, "oc_down")
        text = json.dumps(card, ensure_ascii=False)
        assert "Prometheus" in text and "unreachable" in text
        # A Prometheus outage does not take the bot out of its Service: /readyz stays 200
        # and the outage shows among the dependencies.
        ready = httpx.get(f"{bot.url}/readyz")
        assert ready.status_code == 200 and "prometheus" not in ready.json()["checks"]
        health = httpx.get(f"{bot.url}/healthz", params={"verbose": "1"}).json()
        assert health["dependencies"]["prometheus"]["up"] is False
    finally:
        bot.stop()


def test_rest_rca_returns_ranked_candidates(
    rca_bot: RunningBot, incident_prometheus: IncidentPrometheus
) -> None:
    url = f"{rca_bot.url}/api/v1/rca"
    body = {"service": "payments", "namespace": "payments", "window": "30m"}
    assert httpx.post(url, json=body).status_code == 401
    assert httpx.post(url, json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    auth = {"Authorization": "Bearer api-token-1"}
    response = httpx.post(url, json=body, headers=auth, timeout=30)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["candidates"][0]["entity"].startswith(incident_prometheus.incident.culprit)
    assert {"entity", "metric", "score", "onset"} <= set(data["candidates"][0])
    bad = httpx.post(url, json={"service": "payments", "window": "forever"}, headers=auth)
    assert bad.status_code == 422
    nodata = httpx.post(url, json={"service": "ghost"}, headers=auth, timeout=30)
    assert nodata.status_code == 404
