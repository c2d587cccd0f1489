"""The sandbox runs two simulated clusters, prod and staging, each with its own API server
and Prometheus: in prod ``ledger`` is CPU-starved, in staging calls to ``fraud`` are
delayed. ``/cluster``, ``--cluster`` and ``/cluster use`` reach the right one."""

from __future__ import annotations

from typing import Any

import httpx

from bot.cards.cluster_tag import cluster_of
from sandbox import Sandbox
from sandbox.feishu.records import FakeMessage
from tests.sandbox.conftest import replies_to, wait_for


def _answer(sandbox: Sandbox, client: httpx.Client, chat: str, text: str) -> FakeMessage:
    """The bot's final card for ``text`` (the working card, once patched)."""
    sent = client.post("/sandbox/api/say", json={"chat": chat, "text": text}).json()
    assert sent["status"] == 200

    def done() -> FakeMessage | None:
        replies = replies_to(sandbox, sent["message_id"])
        ready = [r for r in replies if r.content.get("header", {}).get("template") != "wathet"]
        return ready[0] if ready else None

    found: FakeMessage = wait_for(done, timeout=60)
    return found


def _top_row(card: dict[str, Any]) -> str:
    tables = [e for e in card["body"]["elements"] if e["tag"] == "table"]
    assert tables, card
    entity: str = tables[0]["rows"][0]["entity"]
    return entity


def _header_tags(card: dict[str, Any]) -> list[str]:
    return [tag["text"]["content"] for tag in card["header"].get("text_tag_list", [])]


def test_each_cluster_answers_rca_from_its_own_prometheus(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    prod = _answer(sandbox, client, "group", "@bot /rca payments 30m")
    staging = _answer(sandbox, client, "group", "@bot /rca payments 30m --cluster staging")
    assert _top_row(prod.content).startswith("ledger")
    assert _top_row(staging.content).startswith("fraud")
    assert "prod" in _header_tags(prod.content) and "staging" in _header_tags(staging.content)
    assert cluster_of(staging.content) == "staging"  # its buttons act on staging


def test_cluster_use_binds_a_chat_and_cluster_lists_both(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    listed = _answer(sandbox, client, "p2p", "/cluster")
    rows = [e for e in listed.content["body"]["elements"] if e["tag"] == "table"][0]["rows"]
    assert [r["name"].removeprefix("▶ ") for r in rows] == ["prod", "staging"]
    try:
        _answer(sandbox, client, "p2p", "/cluster use staging")
        bound = _answer(sandbox, client, "p2p", "/rca payments 30m")
        assert _top_row(bound.content).startswith("fraud")
        assert "staging" in _header_tags(bound.content)
    finally:
        _answer(sandbox, client, "p2p", "/cluster use prod")
    back = _answer(sandbox, client, "p2p", "/rca payments 30m")
    assert _top_row(back.content).startswith("ledger")
