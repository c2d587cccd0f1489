"""/logs in chat: the real bot, the fake Feishu platform, the simulator (Kubernetes source)
or a respx-mocked Loki (LOKI_URL); and crash-loop findings carrying the last lines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from bot.app.cluster import cluster_capability
from bot.registry import Registry
from sandbox.cluster import KubeSimulator
from sandbox.cluster.broken import broken_kinds_world
from sandbox.feishu import FakePlatform
from skills import diagnose, help, logs
from tests.conftest import RunningBot, bot_settings, start_bot
from tests.fix.conftest import card_text, config_file, every_card_is_valid

LOKI = "http://loki.test:3100"


@pytest.fixture
def sim() -> Iterator[KubeSimulator]:
    with KubeSimulator(broken_kinds_world()) as running:
        yield running


@pytest.fixture
def make_bot(
    platform: FakePlatform, db_url: str, tmp_path: Path, sim: KubeSimulator
) -> Iterator[Callable[..., RunningBot]]:
    started: list[RunningBot] = []

    def make(**overrides: Any) -> RunningBot:
        registry = Registry()
        for module in (help, diagnose, logs):
            module.register(registry)
        settings = bot_settings(platform, db_url, CLOUDOPS_CONFIG=config_file(tmp_path))
        settings.cluster.api_client = sim.api_client()
        settings.cluster.request_timeout_seconds = 2
        for key, value in overrides.items():
            setattr(settings, key, value)
        running = start_bot(platform, db_url, registry=registry,
                            capabilities=[cluster_capability], settings=settings)  # fmt: skip
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()
    every_card_is_valid(platform)


def _final(bot: RunningBot, chat: str) -> dict:
    def done() -> dict | None:
        sent = bot.bot_messages(chat)
        return (
            sent[0].content if sent and sent[0].content["header"]["template"] != "wathet" else None
        )

    found: dict = bot.wait_for(done, 20)
    return found


def test_logs_from_kubernetes(make_bot, sim) -> None:
    bot = make_bot()
    bot.sender.say("/logs db -n shop --previous --since 10m", chat_id="oc_logs")
    card = _final(bot, "oc_logs")
    text = card_text(card)
    assert "Logs (previous container): shop/db" in text
    assert "Lines that matter" in text and "FATAL: could not open data directory" in text
    assert "From kubernetes, pods: db-0" in text
    assert sim.requests_to("PATCH") == [] and sim.requests_to("POST") == []
    bot.sender.say("/logs ghost -n shop", chat_id="oc_ghost")
    assert _final(bot, "oc_ghost")["header"]["template"] == "carmine"
    bot.sender.say("/logs db --since forever", chat_id="oc_bad")
    assert "forever" in card_text(_final(bot, "oc_bad"))


def test_logs_from_loki(make_bot) -> None:
    lines = [[str(1_000 + i), "GET /health 200"] for i in range(5)]
    lines.append(["2000", "ERROR payment declined: token=abcd1234secret"])
    body = {"status": "success", "data": {"resultType": "streams", "result": [
        {"stream": {"pod": "orders-7c9-x"}, "values": lines}]}}  # fmt: skip
    with respx.mock(assert_all_called=True) as mock:
        mock.route(host="127.0.0.1").pass_through()  # the fake Feishu platform
        route = mock.get(f"{LOKI}/loki/api/v1/query_range").mock(
            return_value=httpx.Response(200, json=body)
        )
        bot = make_bot(loki_url=LOKI)
        bot.sender.say("/logs orders -n shop --grep 200", chat_id="oc_loki")
        card = card_text(_final(bot, "oc_loki"))
    assert route.calls.last.request.url.params["query"] == '{namespace="shop", pod=~"orders-.*"}'
    assert "GET /health 200  (×5)" in card  # folded
    assert "payment declined" not in card  # --grep 200 kept only the matching lines
    assert "From loki, pods: orders-7c9-x" in card


def test_crash_loop_finding_shows_the_last_lines(make_bot) -> None:
    bot = make_bot()
    bot.sender.say("/diagnose sts/db -n shop", chat_id="oc_crash")
    text = card_text(_final(bot, "oc_crash"))
    assert "Last lines of the previous container" in text
    assert "FATAL: could not open data directory" in text
