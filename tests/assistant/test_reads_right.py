"""The assistant reads right: answer first, how-to questions get the Fix sections, a new
question does not inherit the previous one's words, greetings get a short reply, and no
bullet stops mid-sentence."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.app.skills import default_registry
from bot.cards.answer import AnswerView, answer_card, small_talk_card
from knowledge.answer import unwrapped_lines
from knowledge.default_base import STARTER_BASE
from knowledge.howto import is_how_to
from knowledge.knowledge_base import KnowledgeBase
from skills.grounded_answer import Outcome, answer_question
from skills.small_talk import small_talk
from tests.assistant.chat import card_text, settled
from tests.conftest import RunningBot

EXPENSES = "如何申请报销出差费用"
PROBES = "探针失败怎么排查"


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Any:
    kb = KnowledgeBase(STARTER_BASE, tmp_path_factory.mktemp("kb"))
    kb.refresh()
    return SimpleNamespace(knowledge=kb, lang="zh-CN", agents=None)


def _answer(services: Any, question: str, turns: list[dict[str, Any]] = ()) -> Outcome:  # type: ignore[assignment]
    return asyncio.run(answer_question(services, question, turns))


def _turns(question: str) -> list[dict[str, Any]]:
    return [
        {"role": "user", "text": question, "query": question},
        {"role": "assistant", "text": "抱歉，我不知道"},
    ]


def test_a_new_question_does_not_inherit_the_previous_query(services: Any) -> None:
    fresh = _answer(services, PROBES)
    assert fresh.answer.supported  # asked on its own, it is answered
    after = _answer(services, PROBES, _turns(EXPENSES))
    assert after.query == PROBES  # not "探针失败怎么排查 申请 报销 出差 费用"
    assert after.answer.supported


def test_a_follow_up_that_points_back_still_inherits(services: Any) -> None:
    turns = _turns("Why is my pod in CrashLoopBackOff?")
    assert "crashloopbackoff" in _answer(services, "how do I fix it?", turns).query
    assert "crashloopbackoff" in _answer(services, "那这个怎么解决", turns).query


def _cited_sections(outcome: Outcome) -> list[tuple[str, str]]:
    return [(outcome.passages[c.n - 1].source, c.section) for c in outcome.answer.citations]


@pytest.mark.parametrize(
    "question", ["how do I fix probe failures", "OOMKilled 怎么解决", "如何修复 OOMKilled"]
)
def test_how_to_questions_cite_the_sections_that_say_what_to_do(
    services: Any, question: str
) -> None:
    assert is_how_to(question)
    cited = _cited_sections(_answer(services, question))
    assert cited and all(re.search(r"Fix|修复|处理|解决", section) for _, section in cited)


def test_a_what_question_still_gets_the_symptoms(services: Any) -> None:
    question = "what are the symptoms of OOMKilled"
    assert not is_how_to(question)
    cited = _cited_sections(_answer(services, question))
    assert ("oomkilled.md", "Symptoms") in cited


def test_a_wrapped_bullet_is_one_line() -> None:
    text = "- Events `a` or\n  `b` happen.\n- Second bullet.\n\n1. Step one\n   continues."
    assert unwrapped_lines(text) == [
        "- Events `a` or `b` happen.",
        "- Second bullet.",
        "1. Step one continues.",
    ]


def test_answer_bullets_end_where_their_sentences_end(services: Any) -> None:
    outcome = _answer(services, "readiness probe failed symptoms events")
    bullets = [line for line in outcome.answer.text.splitlines() if line.startswith("•")]
    assert bullets
    for bullet in bullets:
        sentence = re.sub(r"\s*\[\d+\]$", "", bullet)
        assert sentence.endswith((".", "。", "`", ")", "）")), bullet


def test_a_long_answer_is_cut_at_a_line_end() -> None:
    lines = [f"• step {i}: restart the pod and check the probe settings again." for i in range(400)]
    view = AnswerView("q", "\n".join(lines), [], [])
    body = answer_card(view, "en-US")["body"]["elements"][0]["content"]
    kept = body.rstrip("…").rstrip().splitlines()
    assert len(kept) < len(lines) and all(line in lines for line in kept)


def test_the_answer_comes_first_and_the_question_after_in_small_text() -> None:
    view = AnswerView("how do I fix it", "Restart the pod.", [], [])
    elements = answer_card(view, "en-US")["body"]["elements"]
    assert elements[0]["content"] == "Restart the pod."
    assert "how do I fix it" in elements[1]["content"]
    assert elements[1]["text_size"] == "notation"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("你好", "greeting"),
        ("hi", "greeting"),
        ("Hi there!", "greeting"),
        ("谢谢！", "thanks"),
        ("thanks", "thanks"),
        ("Thank you so much", "thanks"),
        ("你好，探针失败怎么办", None),
        ("how do I fix it", None),
        ("hi, pods crash", None),
    ],
)
def test_small_talk_is_recognised(text: str, kind: str | None) -> None:
    assert small_talk(text) == kind


def test_the_small_talk_card_lists_the_commands() -> None:
    text = json.dumps(small_talk_card("greeting", default_registry().visible(), "zh-CN"))
    assert "/rca" in text and "/ask" in text and "不知道" not in text


def test_hello_in_a_private_chat_gets_a_short_reply_not_i_dont_know(
    assistant: RunningBot, kb_root: Path
) -> None:
    for n, text in enumerate(("你好", "thanks"), 1):
        assistant.sender.say(text, chat_id="oc_p2p_hello", chat_type="p2p")
        reply = settled(assistant, "oc_p2p_hello", n)[n - 1]
        assert "/ask" in card_text(reply)
        assert "I don't know" not in card_text(reply) and "不知道" not in card_text(reply)
