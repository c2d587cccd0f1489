"""The RCA team driven by scripted models: tools called, routing, budgets, checked report."""

from __future__ import annotations

import pytest

from agents import AgentFailed, Agents, Budget, RecordedBackend
from tests.agents.scripts import replay, text, tool_call

EVIDENCE = {
    "verdict": "root_cause",
    "incident_start": "2025-05-01T10:04:00+00:00",
    "candidates": [{"entity": "payments-db", "metric": "latency_p99", "score": 0.91}],
}
BACKEND = RecordedBackend(
    {
        "events": [
            {
                "type": "Warning",
                "reason": "BackOff",
                "object": "Pod/payments-db-0",
                "message": "Back-off restarting failed container",
            }
        ],
        "logs": "FATAL: too many connections for role payments\n",
    }
)
REPORT = {
    "summary": "payments-db ran out of connections",
    "root_cause": "connection pool exhaustion on payments-db",
    "confidence": "high",
    "evidence": [
        {
            "claim": "db refused connections",
            "tool": "read_logs",
            "quote": "too many connections for role payments",
        },
        {"claim": "latency rose first", "tool": "evidence", "quote": "latency_p99"},
    ],
    "next_steps": ["raise max_connections"],
}


def agents_with(client, backend=BACKEND, budget=None) -> Agents:
    return Agents(None, backend=backend, client_factory=lambda: client, budget=budget)


async def test_investigator_calls_tools_then_reviewer_writes_the_report() -> None:
    client = replay(
        tool_call("list_events", {"namespace": "shop", "object_name": "payments-db-0"}),
        tool_call("read_logs", {"namespace": "shop", "pod": "payments-db-0", "container": "db"}),
        text("Draft: the database refused connections."),
        text(REPORT),
    )
    report = await agents_with(client).narrate_rca(EVIDENCE, "why is checkout slow?", lang="en")

    assert report is not None
    assert report.tools_called == ["list_events", "read_logs"]
    assert report.root_cause == REPORT["root_cause"]
    assert report.confidence == "high"
    assert [e.tool for e in report.evidence] == ["read_logs", "evidence"]
    assert report.unverified == []
    assert (report.usage.prompt_tokens, report.usage.completion_tokens) == (600, 140)
    assert report.usage.calls == 4
    # The reviewer saw the log output, delimited as untrusted data.
    reviewer_prompt = [m.content for m in client.create_calls[3]["messages"]]
    assert any('<untrusted-data source="read_logs">' in str(c) for c in reviewer_prompt)
    assert "Reply with ONLY a JSON object" in str(reviewer_prompt[0])


async def test_claims_not_found_in_tool_output_are_dropped_and_confidence_lowered() -> None:
    invented = dict(
        REPORT,
        evidence=[
            *REPORT["evidence"],
            {"claim": "disk full", "tool": "read_logs", "quote": "No space left on device"},
        ],
    )
    client = replay(
        tool_call("read_logs", {"namespace": "shop", "pod": "payments-db-0", "container": "db"}),
        text("Draft."),
        text(invented),
    )
    report = await agents_with(client).narrate_rca(EVIDENCE)
    assert report is not None
    assert report.unverified == ["disk full"]
    assert len(report.evidence) == 2
    assert report.confidence == "medium"


async def test_tool_rounds_are_capped_and_the_reviewer_takes_over() -> None:
    calls = [tool_call("list_events", {"namespace": "shop"}, f"c{i}") for i in range(6)]
    client = replay(*calls, text(REPORT))
    report = await agents_with(client).narrate_rca(EVIDENCE)
    assert report is not None
    assert report.tools_called == ["list_events"] * 6
    assert len(client.create_calls) == 7


async def test_message_budget_without_a_report_fails_typed() -> None:
    calls = [tool_call("list_events", {"namespace": "shop"}, f"c{i}") for i in range(6)]
    client = replay(*calls, text(REPORT))
    with pytest.raises(AgentFailed) as failure:
        await agents_with(client, budget=Budget(max_messages=5)).narrate_rca(EVIDENCE)
    assert failure.value.reason == "budget_exhausted"
    assert failure.value.usage.calls >= 1


async def test_token_budget_stops_the_team() -> None:
    calls = [tool_call("list_events", {"namespace": "shop"}, f"c{i}") for i in range(6)]
    client = replay(*calls, text(REPORT))
    with pytest.raises(AgentFailed) as failure:
        await agents_with(client, budget=Budget(max_tokens=250)).narrate_rca(EVIDENCE)
    assert failure.value.reason == "budget_exhausted"
    assert len(client.create_calls) < 7


async def test_unparseable_report_is_invalid_output() -> None:
    client = replay(text("Draft."), text("The root cause is the database."))
    with pytest.raises(AgentFailed) as failure:
        await agents_with(client).narrate_rca(EVIDENCE)
    assert failure.value.reason == "invalid_output"


async def test_disabled_agents_return_none() -> None:
    agents = Agents(None)
    assert agents.status == "disabled"
    assert await agents.narrate_rca(EVIDENCE) is None
    assert await agents.research("what is OOMKilled?") is None
    assert await agents.grounded_answer("q", ["p"]) is None
