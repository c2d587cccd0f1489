"""/diagnose --clusters: the namespace surveyed in every cluster at once, through the real
kubernetes client. One cluster is the simulator with a broken nginx; the other accepts
connections and never answers (the fan-out's time limit) or refuses them (fails fast)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from kubernetes import client

from bot.app.cluster import cluster_capability
from sandbox.cluster import KubeSimulator
from tests.fix.conftest import buttons, nginx_world
from tests.skills.chat import FakeChat, card_text
from tests.skills.conftest import MakeChat

FANOUT_SECONDS = 5  # room for the simulator to answer on a busy machine
CONFIG = {
    "clusters": [{"name": "east"}, {"name": "west"}],
    "fanout": {"timeout_seconds": FANOUT_SECONDS},
    "cluster": {"request_timeout_seconds": 60},  # the fan-out's limit must be what ends it
}


@pytest.fixture
def sim() -> Iterator[KubeSimulator]:
    with KubeSimulator(nginx_world()) as running:
        yield running


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A TCP port that completes connections and never answers a byte."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)  # never accepted: the kernel holds them, nothing replies
        yield int(listener.getsockname()[1])


@pytest.fixture
def refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed on return: nothing listens there


def api_client_at(port: int) -> client.ApiClient:
    configuration = client.Configuration(host=f"http://127.0.0.1:{port}")
    configuration.retries = 0
    return client.ApiClient(configuration)


def two_clusters(make_chat: MakeChat, sim: KubeSimulator, west_port: int) -> FakeChat:
    return make_chat(
        config=CONFIG,
        capabilities=[cluster_capability],
        clusters={"east": sim.api_client(), "west": api_client_at(west_port)},
    )


def sections(text: str) -> tuple[str, str]:
    east = text.index("**east**")
    west = text.index("**west**")
    return text[east:west], text[west:]


async def test_a_silent_cluster_is_a_line_and_the_other_one_answers(
    make_chat: MakeChat, sim: KubeSimulator, silent_port: int
) -> None:
    chat = two_clusters(make_chat, sim, silent_port)
    started = time.monotonic()
    await chat.say("/diagnose -n default --clusters all")
    assert time.monotonic() - started < 30  # the silent one's request timeout is 60 s

    card = chat.only()
    text = card_text(card)
    east, west = sections(text)
    assert "**Deployment/nginx** · The readiness probe of container nginx is failing" in east
    assert "**Service/nginx** · Service nginx has no ready endpoints" in east
    assert f"no answer within {FANOUT_SECONDS} s" in west
    assert "Deployment/nginx" not in west
    assert card.content["header"]["template"] == "red"
    # Details act on the cluster the object lives in; the card names no single cluster.
    details = [value for _, value in buttons(card.content)]
    assert {v["cluster"] for v in details} == {"east"}
    assert {v["kind"] for v in details} == {"Deployment", "Service"}
    assert "text_tag_list" not in card.content["header"]


async def test_a_refused_cluster_says_why_and_the_other_one_answers(
    make_chat: MakeChat, sim: KubeSimulator, refused_port: int
) -> None:
    chat = two_clusters(make_chat, sim, refused_port)
    await chat.say("/diagnose --clusters west,east")

    text = card_text(chat.only())
    assert text.index("**west**") < text.index("**east**")  # the order asked
    west, east = text[: text.index("**east**")], text[text.index("**east**") :]
    assert "unreachable: Connection refused" in west
    assert "Service/nginx" in east


async def test_the_details_button_of_a_fanout_card_reads_its_cluster(
    make_chat: MakeChat, sim: KubeSimulator, refused_port: int
) -> None:
    """The chat's own cluster is the unreachable one; the button names the other."""
    chat = make_chat(
        config={**CONFIG, "default_cluster": "west"},
        capabilities=[cluster_capability],
        clusters={"east": sim.api_client(), "west": api_client_at(refused_port)},
    )
    await chat.say("/diagnose --clusters all")
    [deployment] = [
        value for _, value in buttons(chat.only().content) if value["kind"] == "Deployment"
    ]
    await chat.press(deployment)
    detail = card_text(chat.sent()[-1])
    assert "Probing /health (port 80) failed" in detail


async def test_without_clusters_the_survey_is_the_chats_cluster_as_before(
    make_chat: MakeChat, sim: KubeSimulator, silent_port: int
) -> None:
    chat = make_chat(
        config=CONFIG,
        capabilities=[cluster_capability],
        clusters={"east": sim.api_client(), "west": api_client_at(silent_port)},
    )
    await chat.say("/diagnose -n default")
    text = card_text(chat.only())
    assert "**Deployment/nginx**" in text and "**east**" not in text


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ("--clusters east,ghost", "No cluster named ghost (configured: east, west)"),
        ("nginx --clusters all", "--clusters works with a namespace survey only"),
        ("-A --clusters all", "--clusters works with a namespace survey only"),
        ("--clusters", "--clusters"),
    ],
)
async def test_bad_cluster_lists_get_the_usage_card(
    make_chat: MakeChat, args: str, problem: str
) -> None:
    chat = make_chat(config=CONFIG)
    await chat.say(f"/diagnose {args}")
    card = chat.only()
    assert card.content["header"]["template"] == "orange"
    assert problem in card_text(card) and "--clusters all|name,name" in card_text(card)


@pytest.mark.parametrize(
    ("clusters", "refused"), [("all", True), ("east,west", True), ("east", False)]
)
async def test_reading_several_clusters_needs_a_grant_for_each(
    make_chat: MakeChat, sim: KubeSimulator, refused_port: int, clusters: str, refused: bool
) -> None:
    """A viewer of east alone may fan out to east, not to every cluster."""
    grant = {"role": "viewer", "open_ids": ["ou_tester"], "clusters": ["east"]}
    chat = make_chat(
        config={**CONFIG, "access": {"reads": "members", "grants": [grant]}},
        capabilities=[cluster_capability],
        clusters={"east": sim.api_client(), "west": api_client_at(refused_port)},
    )
    await chat.say(f"/diagnose --clusters {clusters}")
    text = card_text(chat.only())
    assert ("Deployment/nginx" not in text) is refused
    assert ("viewer" in text) is refused  # the refusal names the role it needs
