"""Every card builder's output is valid JSON 2.0, under 30 KB and 200 elements."""

from __future__ import annotations

import html
import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.evidence import Candidate, Evidence, RcaResult
from analysis.workloads import workload_of
from bot.app.skills import default_registry
from bot.cards.card import SEVERITY_COLOURS, card
from bot.cards.elements import actions, button, chart, columns, markdown, panel, table
from bot.cards.help import help_card, welcome_card
from bot.cards.notices import error_card, notice_card, usage_card, working_card
from bot.cards.rca import RcaView, rca_card
from bot.cards.schema import CardInvalid, validate_card
from messages import LANGUAGES


def _rca_view(n_candidates: int, points: int = 300) -> RcaView:
    times = pd.date_range("2026-11-25T10:00:00Z", periods=points, freq="15s")
    rows = []
    candidates = []
    for i in range(n_candidates):
        entity = f"svc{i}-7d9f8c6b5-x2k4q"
        values = np.linspace(0, 1, points) * (i + 1)
        rows += [
            {"timestamp": t, "entity": entity, "metric": "cpu", "value": v}
            for t, v in zip(times, values, strict=True)
        ]
        evidence = tuple(Evidence(f"m{j}", times[100], 1.0, 9.0, 0.9) for j in range(6))
        candidates.append(
            Candidate(entity, "cpu", 0.9 - i / 100, times[100], 1.0, 9.0, "up", evidence)
        )
    result = RcaResult(tuple(candidates), times[100], "root_cause" if candidates else "no_anomaly")
    events = [f"Warning BackOff pod/{i} back-off restarting failed container" for i in range(40)]
    return RcaView("payments", "payments", "30m", result, pd.DataFrame(rows), events, "footer")


def _every_card() -> list[dict[str, Any]]:
    skills = default_registry().visible()
    cards = []
    for lang in LANGUAGES:
        cards += [
            help_card(skills, lang),
            help_card(skills, lang, problem="Unknown command: /x"),
            welcome_card(skills, lang, group=True),
            welcome_card(skills, lang, group=False),
            usage_card(lang, "problem", "usage"),
            error_card(lang, "Prometheus", "unreachable"),
            working_card(lang, "title"),
            notice_card("t", "x"),
            rca_card(_rca_view(0), lang),
            rca_card(_rca_view(1), lang),
            rca_card(_rca_view(10, points=2000), lang),
        ]
    return cards


@pytest.mark.parametrize("built", _every_card())
def test_every_card_is_valid_json_2(built: dict[str, Any]) -> None:
    validate_card(built)
    assert len(json.dumps(built, ensure_ascii=False).encode()) < 30 * 1024


def test_validator_rejects_what_feishu_rejects() -> None:
    ok = card("t", [markdown("x")])
    validate_card(ok)
    with pytest.raises(CardInvalid):
        validate_card(card("t", [{"tag": "markdown", "content": "x", "bogus": 1}]))
    with pytest.raises(CardInvalid):
        validate_card(card("t", [{"tag": "action", "actions": []}]))  # a JSON 1.0 element
    with pytest.raises(CardInvalid):
        validate_card(card("t", [markdown("x")] * 201))
    with pytest.raises(CardInvalid):
        validate_card(card("t", [table([("a", "A", "text")], [])] * 6))
    with pytest.raises(CardInvalid):
        validate_card(card("t", [panel("p", [table([("a", "A", "text")], [])])]))
    with pytest.raises(CardInvalid):
        validate_card(card("t", [markdown("x" * 31_000)]))
    bad_button = button("b", {"action": "x"})
    bad_button["behaviors"][0]["value"] = "a string"
    with pytest.raises(CardInvalid):
        validate_card(card("t", [bad_button]))


def test_builders_compose() -> None:
    built = card(
        "t",
        [
            columns([markdown("a"), markdown("b")]),
            actions([button("x", {})]),
            chart({"type": "line", "data": {"values": []}}),
        ],
        severity="critical",
    )
    validate_card(built)
    assert built["header"]["template"] == SEVERITY_COLOURS["critical"] == "red"
    assert built["config"]["update_multi"] is True


def test_rca_card_marks_the_onset_and_carries_diagnose_and_ask_buttons() -> None:
    built = rca_card(_rca_view(2), "en-US")
    text = json.dumps(built)
    assert '"markLine"' in text and "10:25" in text  # times[100] at 15 s steps
    values = [b["behaviors"][0]["value"] for b in _buttons(built)]
    assert {"action": "diagnose", "namespace": "payments", "deployment": "svc0"} in values
    assert any(v["action"] == "ask" for v in values)


def _buttons(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if node.get("tag") == "button" else []
        for value in node.values():
            found += _buttons(value)
        return found
    if isinstance(node, list):
        return [b for item in node for b in _buttons(item)]
    return []


@pytest.mark.parametrize(
    ("pod", "deployment"),
    [
        ("payments-7d9f8c6b5-x2k4q", "payments"),
        ("ledger", "ledger"),
        ("api-gateway-5c4d9b7f8d-abcde", "api-gateway"),
        ("redis-0", "redis-0"),
    ],
)
def test_workload_of_pod_names(pod: str, deployment: str) -> None:
    assert workload_of(pod) == deployment


def test_chart_draws_a_candidate_whose_signal_is_a_call_edge() -> None:
    from bot.cards.rca import chart_spec

    times = pd.date_range("2026-11-25T10:00:00Z", periods=20, freq="1min")
    frame = pd.DataFrame(
        {"timestamp": times, "entity": "payments->ledger", "metric": "call_ms", "value": 1.0}
    )
    evidence = (Evidence("call_ms (payments->ledger)", times[10], 1.0, 9.0, 0.9),)
    ledger = Candidate(
        "ledger",
        "call_ms (payments->ledger)",
        0.9,
        times[10],
        1.0,
        9.0,
        "up",
        evidence,
        series=("payments->ledger", "call_ms"),
    )
    spec = chart_spec(frame, [ledger], "en-US")
    drawn = spec["data"]["values"]  # type: ignore[index]
    assert len(drawn) == 20
    # series are named once: "#rank" in the points, the full name in the legend line
    assert {point[spec["seriesField"]] for point in drawn} == {"#1"}  # type: ignore[index]
    card_text = json.dumps(
        rca_card(_one_candidate_view(frame, ledger), "en-US"), ensure_ascii=False
    )
    assert "#1** ledger · call_ms (payments->ledger)" in html.unescape(card_text)


def _one_candidate_view(frame: pd.DataFrame, cand: Candidate) -> RcaView:
    result = RcaResult((cand,), cand.onset, "root_cause")
    return RcaView("payments", "payments", "20m", result, frame)
