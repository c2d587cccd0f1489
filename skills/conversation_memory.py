"""Assistant memory per user per chat (``/new`` starts over).

A conversation is a list of turns ``{"role", "text", "at"[, "query"]}`` kept in
``store.sessions``. It is bounded by an approximate token budget and a number of turns,
and forgotten after a period of inactivity (default two hours). Limits come from the
``assistant`` section of the settings (``session_idle_minutes``, ``session_token_budget``,
``session_max_turns``).

Without an LLM, memory resolves short follow-ups: "how do I fix it?" after a question
about CrashLoopBackOff is searched as "how do I fix it? crashloopbackoff pod".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from config.sections import AssistantSettings
from config.settings import Settings
from knowledge.tokens import tokenize

__all__ = [
    "MemoryLimits",
    "Memory",
    "approx_tokens",
    "trim",
    "followup_query",
    "history_pairs",
    "Turn",
]

Turn = dict[str, Any]
FOLLOW_UP_WORDS = 3  # a question with at most this many content words may be a follow-up
CARRIED_TERMS = 8
# Words that ask for an action or a reason without naming a subject: a question made of
# these only ("how do I fix it?", "怎么解决") leans on the previous one.
GENERIC_TERMS = frozenset(
    tokenize(
        "fix fixes resolve solve repair handle troubleshoot diagnose debug check reason cause "
        "why again more detail details step steps else other mean 修复 解决 处理 排查 诊断 "
        "原因 步骤 详细 具体 其他 还有 意思 办法 方法"
    )
)
REFERS_BACK = re.compile(
    r"(it|this|that|these|those|they|them|same)|它|这个|那个|上面|刚才|这|那", re.I
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class MemoryLimits:
    """The ``assistant`` section's session bounds."""

    idle: timedelta
    token_budget: int
    max_turns: int  # question + answer pairs

    @classmethod
    def from_settings(cls, settings: Settings) -> MemoryLimits:
        return cls.from_section(settings.assistant)

    @classmethod
    def from_section(cls, section: AssistantSettings) -> MemoryLimits:
        return cls(
            timedelta(minutes=section.session_idle_minutes),
            section.session_token_budget,
            section.session_max_turns,
        )


def approx_tokens(text: str) -> int:
    """About one token per CJK character and one per four other characters."""
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 3) // 4


def trim(turns: Sequence[Turn], limits: MemoryLimits) -> list[Turn]:
    """The newest turns that fit both the turn count and the token budget."""
    kept: list[Turn] = []
    used = 0
    for turn in reversed(turns[-2 * limits.max_turns :]):
        used += approx_tokens(str(turn.get("text", "")))
        if used > limits.token_budget:
            break
        kept.append(turn)
    return kept[::-1]


def _new_topic(words: Sequence[str], question: str, previous: Sequence[str]) -> bool:
    """The question names a subject of its own, shares no term with the previous one and
    does not point back at it ("it", "那个"): a new question, not a follow-up."""
    topical = [w for w in words if w not in GENERIC_TERMS]
    return bool(topical) and not set(topical) & set(previous) and not REFERS_BACK.search(question)


def followup_query(question: str, turns: Sequence[Turn]) -> str:
    """The retrieval query: a short follow-up ("how do I fix it?") inherits the previous
    question's key terms; a new question ("探针失败怎么排查" after one about expenses) does not."""
    words = tokenize(question)
    previous = next((str(t.get("query", "")) for t in reversed(turns) if t["role"] == "user"), "")
    if not previous or len(set(words)) > FOLLOW_UP_WORDS:
        return question
    previous_words = tokenize(previous)
    if _new_topic(words, question, previous_words):
        return question
    carried = [w for w in dict.fromkeys(previous_words) if w not in words][:CARRIED_TERMS]
    return f"{question} {' '.join(carried)}" if carried else question


def history_pairs(turns: Sequence[Turn]) -> list[tuple[str, str]]:
    return [(str(t["role"]), str(t["text"])) for t in turns]


class Memory:
    """One user's conversation in one chat (or one REST session)."""

    def __init__(
        self,
        sessions: Any,
        user_id: str,
        chat_id: str,
        clock: Callable[[], datetime],
        limits: MemoryLimits | None = None,
    ) -> None:
        self._sessions, self._user, self._chat = sessions, user_id, chat_id
        self._clock = clock
        self.limits = limits or MemoryLimits.from_section(AssistantSettings.default())

    @classmethod
    def of(cls, services: Any, user_id: str, chat_id: str) -> Memory:
        limits = MemoryLimits.from_settings(services.settings)
        return cls(services.store.sessions, user_id, chat_id, services.clock, limits)

    async def load(self) -> list[Turn]:
        turns: list[Turn] = await self._sessions.load(self._user, self._chat)
        if not turns:
            return []
        try:
            last = datetime.fromisoformat(str(turns[-1].get("at")))
            return turns if self._clock() - last <= self.limits.idle else []
        except (TypeError, ValueError):  # a turn without a usable time: start over
            return []

    async def remember(self, turns: Sequence[Turn], question: str, query: str, answer: str) -> None:
        at = self._clock().isoformat()
        added = [
            {"role": "user", "text": question, "query": query, "at": at},
            {"role": "assistant", "text": answer, "at": at},
        ]
        await self._sessions.save(self._user, self._chat, trim([*turns, *added], self.limits))

    async def clear(self) -> None:
        await self._sessions.clear(self._user, self._chat)
