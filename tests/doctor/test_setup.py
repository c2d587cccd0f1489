"""/setup end to end: an approver of the chat gets the checks that matter to it; the
re-run button updates the card once the problem is fixed; others are refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app.capabilities import prometheus_capability
from bot.app.cluster import cluster_capability
from bot.cards.schema import validate_card
from bot.cards.setup import RERUN_ACTION
from sandbox.cluster import KubeSimulator
from sandbox.feishu import FakePlatform
from tests.conftest import RunningBot, bot_settings, start_bot
from tests.doctor.conftest import Metrics, write_config

CHAT = "oc_ops"
LEAD = "ou_lead"


@pytest.fixture
def setup_bot(
    platform: FakePlatform,
    db_url: str,
    metrics: Metrics,
    simulator: KubeSimulator,
    tmp_path: Path,
) -> Iterator[RunningBot]:
    config = {
        "prometheus": {
            "services": {
                s.service: {"namespace": s.namespace} for s in (metrics.full, metrics.partial)
            }
        },
        "approvals": {"approvers": [{"open_id": LEAD, "namespaces": ["shop"]}]},
        "doctor": {"lookback": "3h", "timeout_seconds": 20},
    }
    settings = bot_settings(
        platform,
        db_url,
        PROMETHEUS_URL=metrics.url,
        CLOUDOPS_CONFIG=write_config(tmp_path / "cloudops.yaml", config),
    )
    settings.cluster.api_client = simulator.api_client()
    simulator.rbac.deny("patch", "deployments", group="apps", namespace="shop")
    bot = start_bot(
        platform,
        db_url,
        settings=settings,
        capabilities=[prometheus_capability, cluster_capability],
    )
    yield bot
    bot.stop()


def _final(bot: RunningBot, versions: int = 1) -> Any:
    def done() -> Any:
        sent = bot.bot_messages(CHAT)
        return sent and len(sent[0].versions) >= versions and sent[0]

    return bot.wait_for(done, timeout=60)


def _lines(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


def test_setup_shows_this_chats_checks_and_reruns(
    setup_bot: RunningBot, simulator: KubeSimulator
) -> None:
    setup_bot.sender.say("/setup", chat_id=CHAT, sender=LEAD)
    message = _final(setup_bot)
    card = message.content
    validate_card(card)
    text = _lines(card)
    assert "`storefront`" in text and "`billing`" in text
    assert "prometheus.signals.billing" in text and "request_rate" in text
    assert "❌ **kubernetes.fix.shop**" in text and "patch deployments.apps" in text
    assert "⚠️ **approvals**" in text and "billing" in text  # nobody approves in billing
    assert card["header"]["template"] == "carmine"

    simulator.rbac.allow_all()  # the operator applied the fixer Role
    setup_bot.sender.click(
        {"action": RERUN_ACTION}, operator=LEAD, chat_id=CHAT, message_id=message.message_id
    )
    rerun = _final(setup_bot, versions=3)  # working, then the new result
    text = _lines(rerun.content)
    assert "✅ **kubernetes.fix.shop**" in text
    assert rerun.content["header"]["template"] == "orange"  # warnings remain


def test_setup_is_refused_to_others(setup_bot: RunningBot) -> None:
    setup_bot.sender.say("/setup", chat_id=CHAT, sender="ou_stranger")
    message = setup_bot.wait_for(lambda: setup_bot.bot_messages(CHAT))[0]
    assert "/whoami" in _lines(message.content)
    assert not message.versions
