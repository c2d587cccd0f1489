"""/rca for a service that exports only CPU and memory: it answers from those and names
the signals (and metric names) it could not find, instead of failing with "no data"."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app.capabilities import prometheus_capability
from bot.cards.schema import validate_card
from sandbox.feishu import FakePlatform
from tests.conftest import start_bot
from tests.doctor.conftest import Metrics, write_config


def test_rca_answers_from_cpu_and_memory_and_names_the_missing(
    platform: FakePlatform, db_url: str, metrics: Metrics, tmp_path: Path
) -> None:
    billing = metrics.partial
    config = {"prometheus": {"services": {"billing": {"namespace": billing.namespace}}}}
    bot = start_bot(
        platform,
        db_url,
        capabilities=[prometheus_capability],
        PROMETHEUS_URL=metrics.url,
        CLOUDOPS_CONFIG=write_config(tmp_path / "cloudops.yaml", config),
    )
    end = billing.end.to_pydatetime()
    bot.runtime.services.clock = lambda: end
    try:
        bot.sender.say("/rca billing 30m", chat_id="oc_billing")
        message = bot.wait_for(
            lambda: next((m for m in bot.bot_messages("oc_billing") if m.versions), None), 30
        )
    finally:
        bot.stop()
    card = message.content
    validate_card(card)
    assert card["header"]["template"] != "carmine"  # an answer, not an error card
    notes = [
        e["content"]
        for e in card["body"]["elements"]
        if e["tag"] == "markdown" and e["content"].startswith("Signals used")
    ]
    assert len(notes) == 1, json.dumps(card)[:800]
    used, missing = notes[0].split("\n")
    assert "cpu_usage_cores" in used and "memory_working_set_bytes" in used
    assert "request_rate" not in used
    for name in ("request_rate (http_requests_total)", "kube_pod_status_ready", "restarts"):
        assert name in missing
    assert "cpu_usage_cores" not in missing and "memory_working_set_bytes" not in missing


def test_rca_with_no_metrics_names_what_it_tried(
    platform: FakePlatform, db_url: str, metrics: Metrics
) -> None:
    bot = start_bot(
        platform, db_url, capabilities=[prometheus_capability], PROMETHEUS_URL=metrics.url
    )
    end = metrics.partial.end.to_pydatetime()
    bot.runtime.services.clock = lambda: end
    try:
        bot.sender.say("/rca ghost 30m", chat_id="oc_ghost")
        message = bot.wait_for(
            lambda: next((m for m in bot.bot_messages("oc_ghost") if m.versions), None), 30
        )
    finally:
        bot.stop()
    text = json.dumps(message.content, ensure_ascii=False)
    assert "no data for ghost in namespace default" in text
    assert "container_cpu_usage_seconds_total" in text and "http_requests_total" in text
    assert "cloudops doctor" in text
