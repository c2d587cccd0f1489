"""/alerts --clusters: every cluster's Alertmanager asked at once. East's is a real
Alertmanager holding a firing alert; west's refuses connections (or never answers);
north has none configured. Each is a section or a line; none hides the others."""

from __future__ import annotations

import secrets
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from skills.alerts.silence import AlertmanagerClient
from tests.incidents.conftest import RealAlertmanager, real_alertmanager  # noqa: F401
from tests.skills.chat import FakeChat, card_text
from tests.skills.conftest import MakeChat

FANOUT_SECONDS = 2
CONFIG = {
    "clusters": [{"name": "east"}, {"name": "west"}, {"name": "north"}],
    "fanout": {"timeout_seconds": FANOUT_SECONDS},
}


def fire(am: RealAlertmanager) -> str:
    """A firing alert in ``am`` (as Prometheus posts it); returns its name."""
    name = f"DiskFull{secrets.token_hex(3)}"
    labels = {"alertname": name, "namespace": "shop", "service": "orders", "severity": "critical"}
    alert = {"labels": labels, "startsAt": (datetime.now(UTC) - timedelta(minutes=3)).isoformat()}
    assert httpx.post(f"{am.url}/api/v2/alerts", json=[alert], timeout=10).status_code == 200
    return name


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A TCP port that completes connections and never answers a byte."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield int(listener.getsockname()[1])


@pytest.fixture
def refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def three_clusters(make_chat: MakeChat, east_url: str, west_url: str) -> FakeChat:
    """Alertmanagers as the composition root would give them: one per cluster (north has
    none); the chat's own cluster (east, the first) also as ``services.alertmanager``."""
    chat = make_chat(config=CONFIG)
    services = chat.services
    services.alertmanager = services.slot("east").alertmanager = AlertmanagerClient(east_url)
    services.slot("west").alertmanager = AlertmanagerClient(west_url, timeout=30)
    return chat


def parts(text: str) -> dict[str, str]:
    starts = sorted((text.index(f"**{n}**"), n) for n in ("east", "west", "north"))
    ends = [s for s, _ in starts[1:]] + [len(text)]
    return {name: text[start:end] for (start, name), end in zip(starts, ends, strict=True)}


async def test_a_down_alertmanager_is_a_line_and_the_others_answer(
    make_chat: MakeChat,
    real_alertmanager: RealAlertmanager,  # noqa: F811
    refused_port: int,
) -> None:
    name = fire(real_alertmanager)
    chat = three_clusters(make_chat, real_alertmanager.url, f"http://127.0.0.1:{refused_port}")
    await chat.say("/alerts --clusters all")

    card = chat.only()
    section = parts(card_text(card))
    assert f"- **{name}** shop / orders [critical]" in section["east"]
    assert "unreachable: ConnectError" in section["west"]
    assert "Alertmanager not configured" in section["north"]
    assert name not in section["west"] + section["north"]
    assert card.content["header"]["template"] == "orange"


async def test_a_silent_alertmanager_times_out_without_holding_the_answer(
    make_chat: MakeChat,
    real_alertmanager: RealAlertmanager,  # noqa: F811
    silent_port: int,
) -> None:
    name = fire(real_alertmanager)
    chat = three_clusters(make_chat, real_alertmanager.url, f"http://127.0.0.1:{silent_port}")
    started = time.monotonic()
    await chat.say("/alerts --clusters east,west")
    assert time.monotonic() - started < 20  # west's client would wait 30 s

    text = card_text(chat.only())
    assert text.index("**east**") < text.index("**west**")
    assert "**north**" not in text
    assert name in text[: text.index("**west**")]
    assert f"no answer within {FANOUT_SECONDS} s" in text[text.index("**west**") :]


async def test_without_clusters_alerts_are_the_chats_cluster_as_before(
    make_chat: MakeChat,
    real_alertmanager: RealAlertmanager,  # noqa: F811
    refused_port: int,
) -> None:
    name = fire(real_alertmanager)
    chat = three_clusters(make_chat, real_alertmanager.url, f"http://127.0.0.1:{refused_port}")
    await chat.say("/alerts")
    text = card_text(chat.only())
    assert name in text and "**west**" not in text


async def test_an_unknown_cluster_gets_the_usage_card(make_chat: MakeChat) -> None:
    chat = make_chat(config=CONFIG)
    await chat.say("/alerts --clusters east,ghost")
    card = chat.only()
    assert card.content["header"]["template"] == "orange"
    text = card_text(card)
    assert "No cluster named ghost (configured: east, west, north)" in text
    assert "--clusters all|name,name" in text
