"""Many clusters end to end: two simulated API servers and two real Prometheus servers
with different incidents, driven through the bot's router.

A chat bound to a cluster (or a command with ``--cluster``) reads that cluster's
Prometheus and says so on its cards; a fix proposed for one cluster is applied on that
cluster's API server only, whatever cluster a forged button names; binding a chat is
for admins, and an unknown cluster gets the usage card naming the configured ones."""

from __future__ import annotations

import json
from typing import Any

from bot.cards.cluster_tag import cluster_of
from bot.cluster_scope import bound_cluster
from sandbox.feishu.records import FakeMessage
from tests.clusters.conftest import (
    ADMIN,
    APPROVER,
    EAST_CULPRIT,
    MEMBER,
    WEST_CULPRIT,
    Clusters,
)
from tests.fix.conftest import find_button, plan_of
from tests.skills.chat import FakeChat, card_text


def _header_tags(card: dict[str, Any]) -> list[str]:
    return [t["text"]["content"] for t in card["header"].get("text_tag_list", [])]


def _tagged(card: dict[str, Any], cluster: str) -> bool:
    """The card's header names ``cluster`` (and not the other one)."""
    other = {"east": "west", "west": "east"}[cluster]
    tags = _header_tags(card)
    return cluster in tags and other not in tags


def _named(card: dict[str, Any], cluster: str) -> bool:
    """The card names ``cluster`` in its header and in its buttons."""
    return _tagged(card, cluster) and cluster_of(card) == cluster


async def _rca(chat: FakeChat, text: str) -> tuple[str, dict[str, Any]]:
    """``text`` (an /rca) in ``chat``: the first ranked entity and the final card."""
    before = len(chat.sent())
    await chat.say(text)
    (message,) = chat.sent()[before:]  # the working card, patched: never a second message
    assert message.versions, "the working card was never patched"
    card = message.content
    tables = [e for e in card["body"]["elements"] if e["tag"] == "table"]
    assert tables and tables[0]["rows"], card_text(message)[:600]
    return str(tables[0]["rows"][0]["entity"]), card


def _is(entity: str, service: str) -> bool:
    """A pod of ``service``, or its pods rolled up into one row ("ledger (2/3 pods)")."""
    return entity.startswith((service + "-", service + " ("))


def _last(chat: FakeChat) -> FakeMessage:
    return chat.sent()[-1]


async def test_each_chat_reads_its_own_clusters_prometheus(clusters: Clusters) -> None:
    a = clusters.chat
    b = a.elsewhere()
    await a.say("/cluster use east", user=ADMIN)
    assert _tagged(_last(a).content, "east") and "bound to cluster **east**" in card_text(_last(a))
    await b.say("/cluster use west", user=ADMIN)
    store = a.services.store
    assert await bound_cluster(store, a.chat_id) == "east"
    assert await bound_cluster(store, b.chat_id) == "west"

    entity, card = await _rca(a, "/rca payments 30m")
    assert _is(entity, EAST_CULPRIT) and _named(card, "east")
    assert card["header"]["template"] == "red"
    entity, card = await _rca(b, "/rca payments 30m")
    assert _is(entity, WEST_CULPRIT) and _named(card, "west")
    # --cluster acts on another cluster once; the chat stays bound where it was.
    entity, card = await _rca(a, "/rca payments 30m --cluster west")
    assert _is(entity, WEST_CULPRIT) and _named(card, "west")
    entity, card = await _rca(a, "/rca payments 30m -c east")
    assert _is(entity, EAST_CULPRIT) and _named(card, "east")
    assert await bound_cluster(store, a.chat_id) == "east"


async def test_binding_is_for_admins_and_unknown_clusters_are_named(clusters: Clusters) -> None:
    chat = clusters.chat
    await chat.say("/cluster use east", user=ADMIN)
    await chat.say("/cluster use west", user=MEMBER)
    refusal = card_text(_last(chat))
    assert "is not allowed to use /cluster" in refusal and "**admin**" in refusal
    assert await bound_cluster(chat.services.store, chat.chat_id) == "east"
    audited = {(e.actor, e.action, e.result) for e in await chat.services.store.audit.recent(20)}
    assert (MEMBER, "/cluster use", "unauthorised") in audited
    assert (ADMIN, "/cluster use", "ok") in audited
    # Still east: the refused binding changed nothing (the home cluster is west).
    entity, card = await _rca(chat, "/rca payments 30m")
    assert _is(entity, EAST_CULPRIT) and _named(card, "east")

    before = len(chat.sent())
    await chat.say("/rca payments 30m --cluster nope")
    (usage,) = chat.sent()[before:]
    text = card_text(usage)
    assert "No cluster named nope (configured: east, west)" in text
    await chat.say("/cluster use nope", user=ADMIN)
    assert "No cluster named nope (configured: east, west)" in card_text(_last(chat))
    assert await bound_cluster(chat.services.store, chat.chat_id) == "east"


def _identity(deployment: dict[str, Any]) -> tuple[Any, ...]:
    meta = deployment["metadata"]
    return meta["resourceVersion"], meta.get("generation"), json.dumps(deployment["spec"])


def _probe_path(deployment: dict[str, Any]) -> str:
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    return str(container["readinessProbe"]["httpGet"]["path"])


async def test_a_fix_for_east_changes_east_only_whatever_the_button_says(
    clusters: Clusters,
) -> None:
    chat, east, west = clusters.chat, clusters.east, clusters.west
    west_before = _identity(clusters.nginx(west))
    assert _probe_path(clusters.nginx(east)) == "/health" == _probe_path(clusters.nginx(west))
    await chat.say("/cluster use east", user=ADMIN)

    await chat.say("/fix nginx -n default")
    offer = next(m for m in reversed(chat.sent()) if find_button(m.content, "approve_plan"))
    plan_id = plan_of(offer)
    assert _named(offer.content, "east")
    record = await chat.services.store.approvals.get(plan_id)
    assert record is not None and record.cluster == "east" and record.status == "pending"
    _, approve = find_button(offer.content, "approve_plan") or ("", {})
    assert approve == {"action": "approve_plan", "plan_id": plan_id, "cluster": "east"}

    await chat.press(approve, user=APPROVER, message_id=offer.message_id)
    done = chat.by_id(offer.message_id)
    assert done.content["header"]["template"] == "green", card_text(done)[:600]
    assert _named(done.content, "east")
    applied = await chat.services.store.approvals.get(plan_id)
    assert applied is not None and applied.status == "applied"
    assert _probe_path(clusters.nginx(east)) == "/"  # east's API server changed
    assert _identity(clusters.nginx(west)) == west_before  # west's did not
    assert not [r for r in west.requests_to("PATCH") if "nginx" in r.path]

    # Undo proposes a plan on east again; its Approve is forged to name west: the
    # record (east) is the authority, so east is restored and west stays untouched.
    _, undo = find_button(done.content, "undo_plan") or ("", {})
    await chat.press(undo, user=APPROVER, message_id=done.message_id)
    offer = next(m for m in reversed(chat.sent()) if find_button(m.content, "approve_plan"))
    undo_id = plan_of(offer)
    assert undo_id != plan_id
    record = await chat.services.store.approvals.get(undo_id)
    assert record is not None and record.kind == "undo" and record.cluster == "east"
    east_fixed = clusters.nginx(east)["metadata"]["resourceVersion"]
    forged = {"action": "approve_plan", "plan_id": undo_id, "cluster": "west"}
    await chat.press(forged, user=APPROVER, message_id=offer.message_id)
    undone = await chat.services.store.approvals.get(undo_id)
    assert undone is not None and undone.status == "applied", card_text(_last(chat))[:600]
    restored = clusters.nginx(east)
    assert _probe_path(restored) == "/health"
    assert restored["metadata"]["resourceVersion"] != east_fixed
    assert _named(chat.by_id(offer.message_id).content, "east")
    assert _identity(clusters.nginx(west)) == west_before
    assert not [r for r in west.requests_to("PATCH") if "nginx" in r.path]
