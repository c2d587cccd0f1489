"""Cards through the real lark-oapi client against the fake platform: every card is fitted
before send, reply and patch; a locked card is patched again; a too-old one is answered."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from structlog.testing import capture_logs

from bot.card_successors import StoredSuccessors
from bot.cards.card import card
from bot.cards.elements import markdown
from bot.cards.validation import card_bytes, card_problems
from bot.messenger import FeishuError, Messenger
from bot.metrics import Metrics
from bot.state import open_store
from sandbox.feishu import FakePlatform


def _messenger(platform: FakePlatform) -> Messenger:
    messenger = Messenger.create(platform.app_id, platform.app_secret, platform.url, Metrics(), 50)
    messenger.max_wait = 0.05
    return messenger


def _huge() -> dict[str, Any]:
    return card("大卡片", [markdown(f"- 第 {i} 行：服务延迟升高，需要排查。") for i in range(1200)])


def test_an_oversized_card_is_shrunk_before_it_is_sent(platform: FakePlatform) -> None:
    async def scenario() -> None:
        messenger = _messenger(platform)
        with capture_logs() as logs:
            message_id = await messenger.send("oc_big", _huge(), uuid="big-1")
        stored = platform.ledger.messages[message_id].content
        assert card_problems(stored) == []
        assert card_bytes(stored) <= messenger.card_max_bytes
        shrunk = [e for e in logs if e["event"] == "card_shrunk"]
        assert len(shrunk) == 1
        assert shrunk[0]["bytes_before"] > 30 * 1024 >= shrunk[0]["bytes_after"]
        assert not any("第" in str(v) for v in shrunk[0].values())  # sizes, no content

    asyncio.run(scenario())


def test_without_fitting_the_platform_refuses_the_same_card(platform: FakePlatform) -> None:
    async def scenario() -> None:
        messenger = _messenger(platform)
        messenger.card_max_bytes, messenger.card_max_elements = 10**9, 10**9
        with pytest.raises(FeishuError) as refused:
            await messenger.send("oc_big", card("big", [markdown("x" * 40_000)]))
        assert refused.value.code == 230025

    asyncio.run(scenario())


def test_reply_and_patch_are_fitted_too(platform: FakePlatform) -> None:
    async def scenario() -> None:
        messenger = _messenger(platform)
        asked = platform.inject_user_message("oc_r", "/rca payments", "ou_u")
        reply_id = await messenger.reply(asked.message_id, _huge(), chat_id="oc_r")
        await messenger.patch(reply_id, _huge(), chat_id="oc_r")
        stored = platform.ledger.messages[reply_id]
        for content in [*stored.versions, stored.content]:
            assert card_problems(content) == []

    asyncio.run(scenario())


def test_a_patch_refused_as_card_action_is_lock_is_retried(platform: FakePlatform) -> None:
    async def scenario() -> None:
        messenger = _messenger(platform)
        message_id = await messenger.send("oc_l", card("t", [markdown("v1")]))
        platform.lock_card_once(message_id)
        assert await messenger.patch(message_id, card("t", [markdown("v2")])) == message_id
        patches = platform.ledger.calls("PATCH", message_id)
        assert [p.status for p in patches] == [400, 200]
        assert (
            platform.ledger.messages[message_id].content["body"]["elements"][0]["content"] == "v2"
        )

    asyncio.run(scenario())


def test_a_card_older_than_14_days_is_answered_with_a_linked_new_card(
    platform: FakePlatform,
) -> None:
    async def scenario() -> None:
        messenger = _messenger(platform)
        old_id = await messenger.send("oc_o", card("Alert", [markdown("firing")]))
        platform.age_message(old_id, 15)
        new_id = await messenger.patch(old_id, card("Alert", [markdown("resolved")]))
        assert new_id != old_id
        new = platform.ledger.messages[new_id]
        assert new.parent_id == old_id  # a reply: Feishu shows it linked to the old card
        texts = [e["content"] for e in new.content["body"]["elements"]]
        assert "14" in texts[0] and texts[1] == "resolved"
        assert platform.ledger.messages[old_id].content["body"]["elements"][0]["content"] == (
            "firing"
        )
        # later updates go to the new card, not to a second reply
        assert await messenger.patch(old_id, card("Alert", [markdown("acked")])) == new_id
        assert len(platform.ledger.sent("oc_o")) == 2

    asyncio.run(scenario())


def test_a_card_not_yet_14_days_old_is_patched_in_place(platform: FakePlatform) -> None:
    async def scenario() -> None:
        messenger = _messenger(platform)
        message_id = await messenger.send("oc_y", card("Alert", [markdown("firing")]))
        platform.age_message(message_id, 13.9)
        assert await messenger.patch(message_id, card("Alert", [markdown("ok")])) == message_id

    asyncio.run(scenario())


def test_another_replica_sharing_the_store_updates_the_successor_not_the_old_card(
    platform: FakePlatform, tmp_path: Path
) -> None:
    """The successor is recorded in the state store: a second replica (or this one after a
    restart) patches the reply instead of posting another one; a reply that is itself too
    old gets a successor of its own, and the old card's updates follow the chain."""

    async def scenario() -> None:
        store = open_store(f"sqlite:///{tmp_path / 'state.db'}")
        try:
            first, second = _messenger(platform), _messenger(platform)
            first.successors = second.successors = StoredSuccessors(store.kv)
            old_id = await first.send("oc_s", card("Alert", [markdown("firing")]))
            platform.age_message(old_id, 15)
            new_id = await first.patch(old_id, card("Alert", [markdown("resolved")]))
            assert await second.patch(old_id, card("Alert", [markdown("acked")])) == new_id
            assert len(platform.ledger.sent("oc_s")) == 2
            platform.age_message(new_id, 15)
            newest = await second.patch(old_id, card("Alert", [markdown("closed")]))
            assert platform.ledger.messages[newest].parent_id == new_id
            assert await first.patch(old_id, card("Alert", [markdown("again")])) == newest
            assert len(platform.ledger.sent("oc_s")) == 3
        finally:
            store.close()

    asyncio.run(scenario())
