"""/whoami in-process: the sender's ids and the lines that make them an approver."""

from __future__ import annotations

import re
from typing import Any

import yaml

from bot.cards.schema import validate_card
from tests.skills.chat import FakeChat, card_text


def _snippet(card: dict[str, Any]) -> dict[str, Any]:
    blocks = [
        e["content"] for e in card["body"]["elements"] if e.get("content", "").startswith("```")
    ]
    assert len(blocks) == 1
    return yaml.safe_load(re.sub(r"^```yaml\n|```$", "", blocks[0]))


async def test_in_a_group_the_chat_is_offered_too(chat: FakeChat) -> None:
    await chat.handle("/whoami", user="ou_alice")
    reply = chat.only()
    validate_card(reply.content)
    text = card_text(reply)
    assert "ou_alice" in text and chat.chat_id in text
    approvers = _snippet(reply.content)["approvals"]["approvers"]
    assert approvers == [
        {"open_id": "ou_alice", "namespaces": ["default"]},
        {"chat_id": chat.chat_id, "namespaces": ["default"]},
    ]


async def test_in_a_private_chat_only_the_person_with_the_configured_namespaces(make_chat):
    services = {"checkout": {"namespace": "shop"}, "payments": {"namespace": "payments"}}
    chat = make_chat(config={"prometheus": {"services": services}})
    await chat.handle("/whoami", chat_type="p2p", user="ou_bob")
    snippet = _snippet(chat.only().content)
    assert snippet["approvals"]["approvers"] == [
        {"open_id": "ou_bob", "namespaces": ["payments", "shop"]}
    ]
    assert snippet["access"]["grants"] == [
        {"role": "approver", "open_ids": ["ou_bob"], "namespaces": ["payments", "shop"]}
    ]


async def test_whoami_is_answered_even_when_reads_are_closed(make_chat) -> None:
    chat = make_chat(config={"access": {"reads": "members", "grants": []}})
    await chat.say("/help", user="ou_stranger")
    await chat.say("/whoami", user="ou_stranger")
    refused, answered = chat.sent()
    assert "Not allowed" in card_text(refused) and "/help" in card_text(refused)
    assert "ou_stranger" in card_text(answered) and "```yaml" in card_text(answered)
