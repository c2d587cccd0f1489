"""/kb list, /kb refresh and /kb add (a reply to a file message) through the real bot."""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.chat import card_text, settled
from tests.assistant.conftest import UPLOADER
from tests.conftest import RunningBot

RUNBOOK = b"""# Widget queue backlog

## Symptoms
The zorblax widget queue grows and consumers lag behind.

## Fixes
Scale the zorblax consumers and purge poisoned widget messages.
"""


def reply_to_file(
    bot: RunningBot, name: str, data: bytes, *, chat_id: str, sender: str = UPLOADER
) -> None:
    """A user sends a file, then replies to it with /kb add."""
    file_message = f"om_file_{abs(hash((chat_id, name))) % 10**8}"
    bot.platform.add_file(file_message, "file_v2_key", name, data, chat_id=chat_id, sender=sender)
    envelope = bot.sender.message_envelope(
        "/kb add", chat_id=chat_id, chat_type="p2p", sender=sender
    )
    envelope["event"]["message"]["parent_id"] = file_message
    assert bot.sender.post(envelope).status_code == 200


def test_kb_list_names_every_runbook(assistant: RunningBot, kb_root: Path) -> None:
    assistant.sender.say("/kb list", chat_id="oc_kb_list")
    text = card_text(settled(assistant, "oc_kb_list", 1)[0])
    on_disk = {p.name for p in kb_root.glob("*.md")}
    listed = set(re.findall(r"`([\w./-]+)`", text))
    assert on_disk and listed == on_disk


def test_kb_refresh_reports_added_changed_and_removed_files(
    assistant: RunningBot, kb_root: Path
) -> None:
    (kb_root / "widget-queue.md").write_bytes(RUNBOOK)
    (kb_root / "dns-failures.md").write_text("# DNS\n\nCheck CoreDNS pods.\n", encoding="utf-8")
    (kb_root / "probes.md").unlink()
    (kb_root / "oomkilled.md").unlink()
    # /kb refresh changes the knowledge base: an uploader (operator of it) asks.
    assistant.sender.say("/kb refresh", chat_id="oc_kb_refresh", sender=UPLOADER)
    text = card_text(settled(assistant, "oc_kb_refresh", 1)[0])
    assert "1 added, 1 changed, 2 removed" in text
    assistant.sender.say("/kb refresh", chat_id="oc_kb_refresh", sender=UPLOADER)
    again = card_text(settled(assistant, "oc_kb_refresh", 2)[1])
    assert "0 added, 0 changed, 0 removed" in again


def test_an_uploader_adds_a_file_that_then_answers_questions(
    assistant: RunningBot, kb_root: Path
) -> None:
    chat = "oc_p2p_uploader"
    reply_to_file(assistant, "widget-queue.md", RUNBOOK, chat_id=chat)
    done = settled(assistant, chat, 1)[0]
    assert "widget-queue.md" in card_text(done)
    assert (kb_root / "widget-queue.md").read_bytes() == RUNBOOK
    assert assistant.platform.ledger.calls("GET", "/resources/file_v2_key")

    assistant.sender.say("zorblax widget queue backlog", chat_id=chat, chat_type="p2p")
    answer = settled(assistant, chat, 2)[1]
    assert "(widget-queue.md)" in card_text(answer)


def test_another_user_cannot_add_files(assistant: RunningBot, kb_root: Path) -> None:
    chat = "oc_p2p_stranger"
    reply_to_file(assistant, "widget-queue.md", RUNBOOK, chat_id=chat, sender="ou_stranger")
    refused = settled(assistant, chat, 1)[0]
    assert "not allowed" in card_text(refused)
    assert not (kb_root / "widget-queue.md").exists()
    assert not assistant.platform.ledger.calls("GET", "/resources/")


def test_a_file_name_that_climbs_out_is_refused(assistant: RunningBot, tmp_path: Path) -> None:
    chat = "oc_p2p_traversal"
    reply_to_file(assistant, "../../etc/passwd.md", RUNBOOK, chat_id=chat)
    refused = settled(assistant, chat, 1)[0]
    assert "climbs out of the knowledge folder" in card_text(refused)
    assert refused.content["header"]["template"] == "orange"
    assert not assistant.platform.ledger.calls("GET", "/resources/")
    assert not list(tmp_path.rglob("passwd.md"))


def test_an_unsupported_file_type_is_refused(assistant: RunningBot, kb_root: Path) -> None:
    chat = "oc_p2p_exe"
    reply_to_file(assistant, "tool.exe", b"MZ\x90\x00", chat_id=chat)
    refused = settled(assistant, chat, 1)[0]
    assert "unsupported file type" in card_text(refused)
    assert not (kb_root / "tool.exe").exists()


def test_kb_add_in_a_group_is_refused(assistant: RunningBot) -> None:
    assistant.sender.say("/kb add", chat_id="oc_kb_group", sender=UPLOADER)
    assert "private chat" in card_text(settled(assistant, "oc_kb_group", 1)[0])


def test_kb_add_without_replying_to_a_file_explains_how(assistant: RunningBot) -> None:
    chat = "oc_p2p_noreply"
    assistant.sender.say("/kb add", chat_id=chat, chat_type="p2p", sender=UPLOADER)
    assert "Reply to a file message" in card_text(settled(assistant, chat, 1)[0])


def test_kb_with_an_unknown_action_gets_a_usage_card(assistant: RunningBot) -> None:
    assistant.sender.say("/kb purge", chat_id="oc_kb_bad")
    reply = settled(assistant, "oc_kb_bad", 1)[0]
    assert "purge" in card_text(reply) and reply.content["header"]["template"] == "orange"
