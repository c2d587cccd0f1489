"""The assistant through the real bot: cited answers, honest refusals, memory and /new."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.assistant.chat import buttons, card_text, settled
from tests.conftest import RunningBot

CRASHLOOP = "Why is my pod in CrashLoopBackOff?"
FOLLOW_UP = "how do I fix it?"
CITED_FILE = re.compile(r"\(([\w./-]+\.md)\)")


def cited_files(message: Any) -> set[str]:
    return set(CITED_FILE.findall(card_text(message)))


def ask(bot: RunningBot, text: str, chat_id: str, count: int) -> Any:
    bot.sender.say(text, chat_id=chat_id, chat_type="p2p")
    return settled(bot, chat_id, count)[count - 1]


def test_a_private_question_gets_an_answer_citing_real_runbooks(
    assistant: RunningBot, kb_root: Path
) -> None:
    reply = ask(assistant, CRASHLOOP, "oc_p2p_cited", 1)
    text = card_text(reply)
    assert reply.parent_id  # a reply to the question
    assert CRASHLOOP in text
    assert "I don't know" not in text
    files = cited_files(reply)
    assert "crashloopbackoff.md" in files
    assert all((kb_root / name).is_file() for name in files)
    assert re.search(r"\[1\]", text)


def test_an_unrelated_question_gets_i_dont_know(assistant: RunningBot) -> None:
    reply = ask(assistant, "What is the capital of France?", "oc_p2p_unknown", 1)
    assert "I don't know" in reply.content["header"]["title"]["content"]
    assert cited_files(reply) == set()
    assert any(b["action"] == "ask_web" for b in buttons(reply))


def test_a_group_mention_without_a_command_is_answered_too(assistant: RunningBot) -> None:
    assistant.sender.say(CRASHLOOP, chat_id="oc_group_ask")
    reply = settled(assistant, "oc_group_ask", 1)[0]
    assert "crashloopbackoff.md" in cited_files(reply)


def test_a_short_follow_up_uses_the_conversation_and_new_forgets_it(
    assistant: RunningBot,
) -> None:
    chat = "oc_p2p_memory"
    ask(assistant, CRASHLOOP, chat, 1)
    follow_up = ask(assistant, FOLLOW_UP, chat, 2)
    note = re.search(r"earlier context: ([^\"]*)", card_text(follow_up))
    assert note and note.group(1).startswith(FOLLOW_UP)
    assert "crashloopbackoff" in note.group(1).lower()
    assert "crashloopbackoff.md" in cited_files(follow_up)

    fresh = ask(assistant, FOLLOW_UP, "oc_p2p_fresh", 1)
    assert "crashloopbackoff.md" not in cited_files(fresh)

    assistant.sender.say("/new", chat_id=chat, chat_type="p2p")
    settled(assistant, chat, 3)
    after_new = ask(assistant, FOLLOW_UP, chat, 4)
    assert cited_files(after_new) == cited_files(fresh)


def test_memory_is_per_user(assistant: RunningBot) -> None:
    chat = "oc_group_two_users"
    assistant.sender.say(CRASHLOOP, chat_id=chat, sender="ou_alice")
    settled(assistant, chat, 1)
    assistant.sender.say(FOLLOW_UP, chat_id=chat, sender="ou_bob")
    bob = settled(assistant, chat, 2)[1]
    assert "crashloopbackoff.md" not in cited_files(bob)


def test_memory_expires_after_two_idle_hours(assistant: RunningBot) -> None:
    chat = "oc_p2p_idle"
    ask(assistant, CRASHLOOP, chat, 1)
    services = assistant.runtime.services
    later = services.clock() + timedelta(hours=2, minutes=5)
    services.clock = lambda: later
    follow_up = ask(assistant, FOLLOW_UP, chat, 2)
    assert "crashloopbackoff.md" not in cited_files(follow_up)


def test_the_ask_button_posts_an_answer_into_the_chat(assistant: RunningBot) -> None:
    chat = "oc_group_rca"
    # The RCA card's "Ask the assistant" button carries {"action": "ask", "question": ...}.
    response = assistant.sender.click(
        {"action": "ask", "question": "pod OOMKilled exit code 137"}, chat_id=chat
    )
    assert response.status_code == 200
    answer = settled(assistant, chat, 1)[0]
    assert "oomkilled.md" in cited_files(answer)


def test_a_suggested_follow_up_button_answers_its_question(assistant: RunningBot) -> None:
    chat = "oc_p2p_suggest"
    first = ask(assistant, CRASHLOOP, chat, 1)
    suggestions = [b for b in buttons(first) if b["action"] == "ask"]
    assert suggestions
    assistant.sender.click(suggestions[0], chat_id=chat, message_id=first.message_id)
    second = settled(assistant, chat, 2)[1]
    assert suggestions[0]["question"] in card_text(second)
    assert cited_files(second)


def test_search_the_web_says_it_is_not_configured_without_an_llm(
    assistant: RunningBot,
) -> None:
    chat = "oc_p2p_web"
    first = ask(assistant, CRASHLOOP, chat, 1)
    web = next(b for b in buttons(first) if b["action"] == "ask_web")
    assistant.sender.click(web, chat_id=chat, message_id=first.message_id)
    reply = settled(assistant, chat, 2)[1]
    assert "not configured" in card_text(reply)
    assert "TAVILY_API_KEY" in card_text(reply)


def test_ask_without_a_question_gets_a_usage_card(assistant: RunningBot) -> None:
    assistant.sender.say("/ask", chat_id="oc_group_empty")
    reply = settled(assistant, "oc_group_empty", 1)[0]
    assert reply.content["header"]["template"] == "orange"
    assert "/ask" in card_text(reply)
