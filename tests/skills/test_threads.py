"""Threads (话题): in a group, what follows a command is a reply in that command's thread;
what a card button starts goes into the card's thread; a question asked in a thread gets
the thread's context (the card that opened it). Through the real messenger and the fake
open platform, which records threads as Feishu does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app.knowledge import open_knowledge_base
from bot.app.parts import CapabilityParts
from bot.cards.card import card
from bot.cards.elements import markdown
from bot.services import Services
from skills.thread_context import thread_turns
from tests.skills.chat import FakeChat
from tests.skills.conftest import MakeChat


async def test_a_group_command_is_answered_in_its_thread(chat: FakeChat) -> None:
    await chat.say("/help")
    (answer,) = chat.sent()
    command = chat.by_id(answer.parent_id)
    assert answer.thread_id and answer.thread_id == command.thread_id
    assert answer.root_id == command.message_id


async def test_a_private_command_is_a_plain_reply(chat: FakeChat) -> None:
    await chat.say("/help", chat_type="p2p")
    (answer,) = chat.sent()
    assert answer.parent_id and not answer.thread_id


def _knowledge(services: Services) -> CapabilityParts:
    """The starter runbooks, indexed now (the capability indexes them at start-up)."""
    kb = open_knowledge_base(services.settings)
    kb.refresh()
    services.knowledge = kb
    return CapabilityParts()


@pytest.fixture
def kb_chat(make_chat: MakeChat, tmp_path: Path) -> FakeChat:
    return make_chat(capabilities=[_knowledge], CLOUDOPS_DATA_DIR=str(tmp_path))


def _alert_card(title: str, subtitle: str) -> dict[str, object]:
    alert = card(title, [markdown("**summary** the pod restarts again and again")])
    alert["header"]["subtitle"] = {"tag": "plain_text", "content": subtitle}
    return alert


def _cited(chat: FakeChat, message_id: str) -> str:
    answers = [m for m in chat.sent() if m.parent_id == message_id]
    assert answers, "no answer"
    return json.dumps(answers[-1].content, ensure_ascii=False)


async def test_a_question_in_an_alert_thread_is_about_that_alert(kb_chat: FakeChat) -> None:
    crash = kb_chat.card(_alert_card("KubePodCrashLooping", "CrashLoopBackOff · payments"))
    oom = kb_chat.card(_alert_card("KubeContainerOOMKilled", "OOMKilled · payments"))
    question = "how do I fix it?"
    in_crash = await kb_chat.say(question, in_thread_of=crash.message_id)
    in_oom = await kb_chat.say(question, in_thread_of=oom.message_id)
    crash_answer, oom_answer = (
        _cited(kb_chat, in_crash.message_id),
        _cited(kb_chat, in_oom.message_id),
    )
    # each answer cites the runbook of its own thread's alert, not the other's
    assert "crashloopbackoff.md" in crash_answer and "oomkilled.md" not in crash_answer
    assert "oomkilled.md" in oom_answer and "crashloopbackoff.md" not in oom_answer
    # and both answers stay in their threads
    for written in (in_crash, in_oom):
        answer = [m for m in kb_chat.sent() if m.parent_id == written.message_id][-1]
        assert answer.thread_id == written.thread_id != ""


async def test_a_button_answers_in_the_clicked_cards_thread(kb_chat: FakeChat) -> None:
    posted = kb_chat.card(_alert_card("KubePodCrashLooping", "payments"))
    await kb_chat.press(
        {"action": "ask", "question": "pod keeps restarting"}, message_id=posted.message_id
    )
    answers = [m for m in kb_chat.sent() if m.parent_id == posted.message_id]
    assert len(answers) == 1
    assert (
        answers[0].thread_id and answers[0].thread_id == kb_chat.by_id(posted.message_id).thread_id
    )


async def test_the_threads_context_is_its_card_and_the_bots_answers_in_it(chat: FakeChat) -> None:
    alert = chat.card(_alert_card("PaymentsHighLatency", "payments · critical"))
    messenger = chat.services.messenger
    rca = card("Root cause · payments", [markdown("ledger is CPU-throttled since 08:40")])
    await messenger.reply(alert.message_id, rca, in_thread=True, chat_id=chat.chat_id)
    chatter = chat.platform.inject_user_message(
        chat.chat_id, "looking", "ou_peer", in_thread_of=alert.message_id
    )
    assert chatter.thread_id
    ctx = chat.context("why is it slow?", in_thread_of=alert.message_id)
    (turn,) = await thread_turns(ctx)
    assert turn["role"] == "user" and turn["query"].startswith("PaymentsHighLatency")
    text = turn["text"]
    assert text.index("PaymentsHighLatency") < text.index("ledger is CPU-throttled")
    assert "looking" not in text  # people's chatter is not the bot's context


async def test_a_question_outside_a_thread_has_no_thread_context(chat: FakeChat) -> None:
    assert await thread_turns(chat.context("why is it slow?")) == []
