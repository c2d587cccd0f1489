"""/rca in-process against a real Prometheus backfilled with the payments incident:
the "working" card is patched with the ranked culprit, the chart and the buttons; the
agents' narrative is added when they answer and left out when they fail."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.app.capabilities import prometheus_capability
from tests.skills.chat import FakeChat, card_text
from tests.skills.conftest import IncidentPrometheus, MakeChat


@pytest.fixture
def rca_chat(make_chat: MakeChat, incident_prometheus: IncidentPrometheus) -> FakeChat:
    prom = incident_prometheus
    services = {**prom.incident.services_config(), **prom.healthy.services_config()}
    chat = make_chat(
        config={"prometheus": {"services": services}},
        capabilities=[prometheus_capability],
        PROMETHEUS_URL=prom.url,
    )
    end = prom.incident.end.to_pydatetime()
    chat.services.clock = lambda: end  # the backfilled incident ends here
    return chat


def _final_card(chat: FakeChat) -> dict[str, Any]:
    message = chat.only()  # the working card, patched: never a second message
    assert message.versions, "the working card was never patched"
    return message.content


def _table_rows(card: dict[str, Any]) -> list[dict[str, Any]]:
    tables = [e for e in card["body"]["elements"] if e["tag"] == "table"]
    return tables[0]["rows"] if tables else []


async def test_rca_finds_the_cpu_starved_dependency(
    rca_chat: FakeChat, incident_prometheus: IncidentPrometheus
) -> None:
    await rca_chat.say("/rca payments 30m -n payments")
    card = _final_card(rca_chat)
    working = rca_chat.only().versions[0]
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


async def test_rca_on_a_healthy_service_says_nothing_broke(
    rca_chat: FakeChat, incident_prometheus: IncidentPrometheus
) -> None:
    await rca_chat.say(f"/rca {incident_prometheus.healthy.service} 30m")
    assert _final_card(rca_chat)["header"]["template"] == "green"


async def test_rca_of_an_unknown_service_lists_the_known_ones(
    rca_chat: FakeChat, incident_prometheus: IncidentPrometheus
) -> None:
    # Not in prometheus.services and no data: a typo, not a Prometheus failure (the card
    # used to say "Prometheus failed: no data").
    await rca_chat.say("/rca nosuchservice 30m")
    card = _final_card(rca_chat)
    text = card_text(rca_chat.only())
    assert card["header"]["template"] == "orange"
    assert "nosuchservice" in text and "prometheus.services" in text
    for known in incident_prometheus.incident.services_config():
        assert known in text


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


async def test_rca_card_gains_the_agents_narrative(rca_chat: FakeChat) -> None:
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
    rca_chat.services.agents = agents
    await rca_chat.say("/rca payments 30m")
    message = rca_chat.only()
    assert len(message.versions) >= 2  # working → verdict → verdict with the narrative
    text = json.dumps(message.content, ensure_ascii=False)
    assert "CPU limit too low on ledger" in text and "raise the CPU limit" in text
    assert "1200 prompt + 300 completion tokens" in text
    assert agents.evidence["candidates"][0]["entity"].startswith("ledger-")
    assert message.content["header"]["template"] == "red"


async def test_rca_keeps_the_deterministic_card_when_the_agents_fail(rca_chat: FakeChat) -> None:
    from agents import AgentFailed

    rca_chat.services.agents = ScriptedAgents(AgentFailed("timeout", "120 s"))
    await rca_chat.say("/rca payments 30m")
    message = rca_chat.only()
    assert len(message.versions) >= 2
    card = message.content
    assert "timed out" in json.dumps(card, ensure_ascii=False)
    assert _table_rows(card)[0]["entity"].startswith(("ledger-", "ledger ("))  # pods rolled up
