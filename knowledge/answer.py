"""Grounded answers without an LLM: extractive summary of the best passages, with citations.

Citation numbers follow hit order (``[1]`` is the first hit), so :func:`format_context`
gives an LLM the same numbering the extractive answer uses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.chunking import split_sentences
from knowledge.glossary import translations
from knowledge.howto import ACTION_BONUS, is_action_section, is_how_to
from knowledge.index.protocol import Hit
from knowledge.tokens import tokenize

__all__ = [
    "Answer",
    "Citation",
    "SUPPORT_THRESHOLD",
    "Extract",
    "extract",
    "cite",
    "coverage",
    "format_context",
    "support_score",
]

# Calibrated on benchmarks/data/retrieval_questions.jsonl against off-topic questions
# (benchmarks/retrieval_eval.py prints the calibration table).
SUPPORT_THRESHOLD = 0.4
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)、])\s+")
_STARTS_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)、]|#+|\|)\s*")


@dataclass(frozen=True)
class Citation:
    n: int
    title: str
    source: str
    section: str


@dataclass(frozen=True)
class Extract:
    """What the passages say about a question: ``(sentence, citation number)`` pairs."""

    sentences: list[tuple[str, int]]
    citations: list[Citation]
    supported: bool
    support: float = 0.0


@dataclass(frozen=True)
class Answer:
    text: str
    citations: list[Citation]
    supported: bool
    support: float = 0.0


def cite(hits: Sequence[Hit]) -> list[Citation]:
    """Numbered citations, ``n`` starting at 1, in hit order."""
    return [Citation(n, h.title, h.source, h.section) for n, h in enumerate(hits, start=1)]


def format_context(hits: Sequence[Hit]) -> str:
    """The passages as numbered context blocks, for a grounded LLM prompt."""
    return "\n\n".join(
        f"[{n}] {hit.title_path} ({hit.source})\n{hit.text}" for n, hit in enumerate(hits, start=1)
    )


def _groups(question: str) -> list[set[str]]:
    return [{token, *translations(token)} for token in dict.fromkeys(tokenize(question))]


def coverage(question: str, text: str) -> float:
    """Share of the question's words (or their translations) that occur in ``text``."""
    groups = _groups(question)
    if not groups:
        return 0.0
    present = set(tokenize(text))
    return sum(1 for group in groups if group & present) / len(groups)


def support_score(question: str, hits: Sequence[Hit], depth: int = 3) -> float:
    """How well the best of the first ``depth`` hits covers the question."""
    return max((coverage(question, f"{h.title_path}\n{h.text}") for h in hits[:depth]), default=0.0)


def unwrapped_lines(text: str) -> list[str]:
    """Lines of ``text`` with a wrapped bullet or sentence joined back into one line, so no
    bullet of an answer stops where the runbook's line happened to wrap."""
    lines: list[str] = []
    for raw in text.splitlines():
        if not raw.strip():
            lines.append("")
            continue
        continues = lines and lines[-1] and not _STARTS_ITEM.match(raw)
        if continues:
            lines[-1] = f"{lines[-1].rstrip()} {raw.strip()}"
        else:
            lines.append(raw)
    return [line for line in lines if line]


def extract(
    question: str,
    hits: Sequence[Hit],
    *,
    threshold: float = SUPPORT_THRESHOLD,
    max_sentences: int = 3,
    max_passages: int = 3,
    how_to: bool | None = None,
) -> Extract:
    """Sentences from the best passages that best match ``question``, each with the number
    of the passage it cites; for a how-to question (``how_to``, detected when None)
    sentences of the sections that say what to do (Fix, Resolution, 处理 ...) come before
    those of Symptoms.

    Refuses (``supported=False``, no sentences) when the passages do not cover the question
    well enough: an unrelated question gets "I don't know", never an unsourced answer. The
    chat layer (``bot.texts.knowledge``) turns the result into words.
    """
    how_to = is_how_to(question) if how_to is None else how_to
    support = support_score(question, hits, max_passages)
    if not hits or support < threshold:
        return Extract([], [], False, support)
    ranked: list[tuple[float, int, int, str]] = []
    for rank, hit in enumerate(hits[:max_passages]):
        bonus = ACTION_BONUS if how_to and is_action_section(hit) else 0.0
        sentences = (s for line in unwrapped_lines(hit.text) for s in split_sentences(line))
        for position, raw in enumerate(sentences):
            sentence = _BULLET.sub("", raw)
            score = coverage(question, sentence) + bonus + 0.05 / (rank + 1)
            ranked.append((score, rank, position, sentence))
    chosen = sorted(sorted(ranked, key=lambda r: -r[0])[:max_sentences], key=lambda r: r[1:3])
    used = sorted({rank for _, rank, _, _ in chosen})
    citations = [c for c in cite(hits) if c.n - 1 in used]
    quoted = [(sentence, rank + 1) for _, rank, _, sentence in chosen]
    return Extract(quoted, citations, True, support)
