"""/rca end to end: Feishu event → bot → real Prometheus → ranking → patched card."""

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


def _table_rows(card: dict[str, Any]) -> list[dict[str, Any]]:
    tables = [e for e in card["body"]["elements"] if e["tag"] == "table"]
    return tables[0]["rows"] if tables else []


def test_rca_finds_the_cpu_starved_dependency(
    rca_bot: RunningBot, incident_prometheus: IncidentPrometheus
) -> None:
    rca_bot.sender.say("/rca payments 30m -n payments", chat_id="oc_rca")
    card = _final_card(rca_bot, "oc_rca")
    working = rca_bot.bot_messages("oc_rca")[0].versions[0]
    assert working["header"]["template"] == "wathet"  # the "working" card came first
    rows = _table_rows(card)
    assert rows, json.dumps(card)[:500]
    culprit = incident_prometheus.incident.culprit
    # a pod of the culprit, or the culprit's pods rolled up into one row ("ledger (2/3 pods)")
    assert rows[0]["entity"].startswith((culprit + "-", culprit + " ("))
    assert card["header"]["template"] == "red"
    charts = [e for e in card["body"]["elements"] if e["tag"] == "chart"]
    assert charts and charts[0]["chart_spec"]["markLine"]
    text = json.dumps(card, ensure_ascii=False)
    assert "Diagnose deployment" in text and "Ask the assistant" in text


def test_rca_on_a_healthy_service_says_nothing_broke(
    rca_bot: RunningBot, incident_prometheus: IncidentPrometheus
) -> None:
    rca_bot.sender.say(f"/rca {incident_prometheus.healthy.service} 30m", chat_id="oc_healthy")
    card = _final_card(rca_bot, "oc_healthy")
    assert card["header"]["template"] == "green"


def test_rca_of_an_unknown_service_lists_the_known_ones(
    rca_bot: RunningBot, incident_prometheus: IncidentPrometheus
) -> None:
    # Not in prometheus.services and no data: a typo, not a Prometheus failure (the card
    # used to say "Prometheus failed: no data").
    rca_bot.sender.say("/rca nosuchservice 30m", chat_id="oc_nodata")
    card = _final_card(rca_bot, "oc_nodata")
    text = json.dumps(card, ensure_ascii=False)
    assert card["header"]["template"] == "orange"
    assert "nosuchservice" in text and "prometheus.services" in text
    for known in incident_prometheus.incident.services_config():
        assert known in text
    assert len(rca_bot.bot_messages("oc_nodata")) == 1  # the working card, patched


@pytest.mark.parametrize(
    "args", ["", "payments 30x", "payments 30m extra", "payments 1s", "payments 30m -n", "Bad_Name"]
)
def test_malformed_rca_gets_a_usage_card(rca_bot: RunningBot, args: str) -> None:
    chat = "oc_usage_" + str(abs(hash(args)))
    rca_bot.sender.say(f"/rca {args}", chat_id=chat)
    card = rca_bot.wait_for(lambda: rca_bot.bot_messages(chat))[0].content
    assert card["header"]["template"] == "orange"
    assert "/rca <service>" in json.dumps(card, ensure_ascii=False)


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


class ScriptedAgents:
    """Stands in for agents.Agents (their teams are tested in tests/agents)."""

    status = "enabled"

    def __init__(self, outcome: Any) -> None:
        self.outcome = outcome
        self.evidence: dict[str, Any] = {}

    async def narrate_rca(
        self, evidence: dict[str, Any], question: str = "", *, lang: str | None = None
    ) -> Any:
        self.evidence = evidence
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def _with_agents(bot: RunningBot, agents: ScriptedAgents) -> None:
    bot.runtime.services.agents = agents


def test_rca_card_gains_the_agents_narrative(rca_bot: RunningBot) -> None:
    from agents import EvidenceItem, RcaReport, Usage

    report = RcaReport(
        summary="ledger ran out of CPU",
        root_cause="CPU limit too low on ledger",
        confidence="high",
        evidence=[EvidenceItem(claim="throttling rose", tool="evidence", quote="cpu")],
        next_steps=["raise the CPU limit of ledger"],
        usage=Usage(prompt_tokens=1200, completion_tokens=300, calls=2),
    )
    agents = ScriptedAgents(report)
    _with_agents(rca_bot, agents)
    rca_bot.sender.say("/rca payments 30m", chat_id="oc_ai")
    message = rca_bot.wait_for(
        lambda: (m := rca_bot.bot_messages("oc_ai")) and len(m[0].versions) >= 2 and m[0],
        timeout=30,
    )
    text = json.dumps(message.content, ensure_ascii=False)
    assert "CPU limit too low on ledger" in text and "raise the CPU limit" in text
    assert "1200 prompt + 300 completion tokens" in text
    assert agents.evidence["candidates"][0]["entity"].startswith("ledger-")
    assert rca_bot.bot_messages("oc_ai")[0].content["header"]["template"] == "red"


def test_rca_keeps_the_deterministic_card_when_the_agents_fail(rca_bot: RunningBot) -> None:
    from agents import AgentFailed

    _with_agents(rca_bot, ScriptedAgents(AgentFailed("timeout", "120 s")))
    rca_bot.sender.say("/rca payments 30m", chat_id="oc_ai_fail")
    message = rca_bot.wait_for(
        lambda: (m := rca_bot.bot_messages("oc_ai_fail")) and len(m[0].versions) >= 2 and m[0],
        timeout=30,
    )
    card = message.content
    text = json.dumps(card, ensure_ascii=False)
    assert "timed out" in text
    assert _table_rows(card)[0]["entity"].startswith(("ledger-", "ledger ("))  # pods rolled up
