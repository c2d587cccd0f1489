"""End to end: a claim and a resolution through the real webhook and card click observe
the team's time to acknowledge and to resolve; the card links to the silence page."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import unquote

from bot.app.capabilities import push_capabilities
from sandbox.feishu import FakePlatform
from skills.alerts.payload import group_id
from tests.conftest import start_bot
from tests.incidents.conftest import config_file
from tests.incidents.test_escalation import CONFIG, FIRED, TOKEN, _fire
from tests.push.conftest import FrozenClock, SyntheticSource, push_registry, with_source

ACK = "cloudops_incident_time_to_acknowledge_seconds"
RESOLVE = "cloudops_incident_time_to_resolve_seconds"


def test_a_claim_and_a_resolution_are_observed_for_the_routes_team(
    platform: FakePlatform, pg_url: str, tmp_path: Path
) -> None:
    clock = FrozenClock(FIRED)
    environ = {"ALERTMANAGER_WEBHOOK_TOKEN": TOKEN, "ALERTMANAGER_URL": "http://127.0.0.1:1"}
    bot = start_bot(
        platform,
        pg_url,
        registry=push_registry(),
        capabilities=[with_source(SyntheticSource()), *push_capabilities(clock=clock)],
        CLOUDOPS_CONFIG=config_file(tmp_path, CONFIG),
        **environ,
    )
    bot.runtime.services.clock = clock
    try:
        payload = _fire(bot)
        [card] = bot.bot_messages("oc_sre")
        text = unquote(json.dumps(card.content, ensure_ascii=False))
        assert "http://127.0.0.1:1/#/silences/new?filter=" in text
        assert 'alertname=\\"PaymentsHighLatency\\"' in text
        key = group_id(payload["groupKey"])
        clock.advance(minutes=3)
        value = {"action": "alert_ack", "key": key}
        bot.sender.click(value, message_id=card.message_id, chat_id="oc_sre", operator="ou_bob")
        store = bot.runtime.services.store
        bot.wait_for(
            lambda: [e for e in asyncio.run(store.timeline.events(key)) if e.kind == "claimed"]
        )
        registry = bot.runtime.services.metrics.registry
        team = {"team": "payments"}
        bot.wait_for(lambda: registry.get_sample_value(f"{ACK}_count", team) == 1.0)
        assert registry.get_sample_value(f"{ACK}_sum", team) == 180.0
        clock.advance(minutes=17)
        _fire(bot, "resolved")
        assert registry.get_sample_value(f"{RESOLVE}_count", team) == 1.0
        assert registry.get_sample_value(f"{RESOLVE}_sum", team) == 1200.0
    finally:
        bot.stop()
