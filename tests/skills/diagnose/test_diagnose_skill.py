"""/diagnose in-process, on the simulated cluster (through the real kubernetes client):
the survey card, the Details button, one deployment, usage errors, no cluster."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.app.cluster import cluster_capability
from messages import t
from sandbox.cluster import KubeSimulator
from tests.fix.conftest import buttons, find_button, nginx_world
from tests.skills.chat import FakeChat, card_text


@pytest.fixture
def sim() -> Iterator[KubeSimulator]:
    """The legacy nginx, failing its readiness probe; time stands still."""
    with KubeSimulator(nginx_world()) as running:
        yield running


@pytest.fixture
def cluster_chat(make_chat, sim: KubeSimulator) -> FakeChat:
    return make_chat(
        config={"cluster": {"request_timeout_seconds": 1}},
        capabilities=[cluster_capability],
        cluster=sim.api_client(),
    )


async def test_a_namespace_lists_each_broken_object_with_a_details_button(
    cluster_chat: FakeChat,
) -> None:
    await cluster_chat.handle("/diagnose -n default")
    card = cluster_chat.only()
    assert card.versions[0]["header"]["template"] == "wathet"  # working, then patched
    text = card_text(card)
    assert card.content["header"]["template"] == "red"
    assert "**Deployment/nginx** · The readiness probe of container nginx is failing" in text
    assert "**Service/nginx** · Service nginx has no ready endpoints" in text
    assert [value for _, value in buttons(card.content)] == [
        {"action": "diagnose_object", "namespace": "default", "kind": kind, "name": "nginx"}
        for kind in ("Deployment", "Service")
    ]


async def test_the_details_button_shows_the_evidence_and_offers_a_fix(
    cluster_chat: FakeChat,
) -> None:
    value = {"action": "diagnose_object", "namespace": "default", "kind": "Deployment"}
    await cluster_chat.press({**value, "name": "nginx"})
    detail = cluster_chat.sent()[-1].content
    text = card_text(cluster_chat.sent()[-1])
    assert text.index("<font color='red'>Critical</font>") < text.index(
        "<font color='orange'>Warning</font>"
    )
    assert "Probing /health (port 80) failed" in text
    assert "CPU request 500m" in text and "memory request 512Mi" in text
    assert [value for _, value in buttons(detail)] == [
        {"action": "propose_fix", "namespace": "default", "deployment": "nginx"}
    ]


async def test_one_deployment(cluster_chat: FakeChat) -> None:
    await cluster_chat.handle("/diagnose nginx")
    text = card_text(cluster_chat.only())
    assert "Diagnosis: default/nginx" in text
    assert "Replicas unavailable (0/2 available)" in text
    assert find_button(cluster_chat.only().content, "propose_fix")


async def test_a_missing_deployment_is_named(cluster_chat: FakeChat) -> None:
    await cluster_chat.say("/diagnose ghost")
    card = cluster_chat.only()
    assert card.content["header"]["template"] != "red"
    assert "ghost" in card_text(card)
    assert not buttons(card.content)


@pytest.mark.parametrize(
    ("args", "problem"),
    [("a b", "Too many arguments: b"), ("-A -n x", t("diagnose.all_namespaces.alone", "en-US"))],
)
async def test_bad_arguments_get_the_usage_card(chat: FakeChat, args: str, problem: str) -> None:
    await chat.say(f"/diagnose {args}")
    card = chat.only()
    assert card.content["header"]["template"] == "orange"
    assert problem in card_text(card) and "/diagnose" in card_text(card)


async def test_without_a_cluster_the_card_names_kubernetes(chat: FakeChat) -> None:
    await chat.say("/diagnose nginx")
    card = chat.only()
    assert card.content["header"]["template"] == "carmine"
    assert "Kubernetes" in card_text(card)
