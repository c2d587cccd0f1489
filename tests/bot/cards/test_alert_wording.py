"""The alert card says each thing once, in the reader's language, and silencing is a
confirmed form submit on every client."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.cards.alert import SILENCE_CHOICES, AlertView, alert_card
from messages import t

LABELS = {
    "alertname": "PaymentsLatencyHigh",
    "namespace": "payments",
    "service": "payments",
    "severity": "critical",
    "team": "checkout",
}


def _view(**changes: Any) -> AlertView:
    base: dict[str, Any] = dict(
        key="k1",
        status="firing",
        alertname="PaymentsLatencyHigh",
        severity="critical",
        labels=dict(LABELS),
        annotations={"summary": "p99 above 1 s"},
        alerts=[{"status": "firing", "detail": "pod=payments-1", "starts": ""}],
        service="payments",
        namespace="payments",
        can_silence=True,
    )
    base.update(changes)
    return AlertView(**base)


def _walk(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for child in node.values():
            found += _walk(child)
    elif isinstance(node, list):
        for child in node:
            found += _walk(child)
    return found


def _tables(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in _walk(card["body"]) if n.get("tag") == "table"]


@pytest.mark.parametrize("lang", ["zh-CN", "en-US"])
def test_the_subtitle_names_namespace_and_service_once_and_the_severity_in_words(
    lang: str,
) -> None:
    card = alert_card(_view(), lang, "Asia/Shanghai")
    subtitle = card["header"]["subtitle"]["content"]
    assert subtitle == f"payments · {t('alert.severity.critical', lang)}"


def test_an_unknown_severity_label_is_shown_as_it_is() -> None:
    card = alert_card(_view(severity="P1"), "zh-CN", "UTC")
    assert card["header"]["subtitle"]["content"].endswith("· P1")


@pytest.mark.parametrize("lang", ["zh-CN", "en-US"])
def test_label_rows_leave_out_what_the_header_shows_and_statuses_are_words(lang: str) -> None:
    labels_table, alerts_table = _tables(alert_card(_view(), lang, "UTC"))
    assert [r["name"] for r in labels_table["rows"]] == ["team"]
    assert [r["status"] for r in alerts_table["rows"]] == [t("alert.status.firing", lang)]


def test_every_silence_button_is_a_confirmed_submit_button_of_one_form() -> None:
    card = alert_card(_view(), "en-US", "UTC")
    nodes = _walk(card["body"])
    forms = [n for n in nodes if n.get("tag") == "form"]
    assert len(forms) == 1
    inside = [
        n
        for n in _walk(forms[0])
        if n.get("tag") == "button" and n["behaviors"][0]["value"].get("action") == "alert_silence"
    ]
    everywhere = [
        n
        for n in nodes
        if n.get("tag") == "button" and n["behaviors"][0]["value"].get("action") == "alert_silence"
    ]
    assert [b["behaviors"][0]["value"]["for"] for b in inside] == [*SILENCE_CHOICES, "custom"]
    assert len(everywhere) == len(inside)
    assert all(b["form_action_type"] == "submit" and b["confirm"] for b in inside)
    names = [b["name"] for b in inside]
    assert len(set(names)) == len(names)


def test_a_claimed_or_silenced_alert_offers_no_silence() -> None:
    silenced = alert_card(_view(silenced_by="ou_x", silenced_until=""), "en-US", "UTC")
    assert "alert_silence" not in json.dumps(silenced)
