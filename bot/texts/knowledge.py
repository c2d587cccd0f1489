"""Chat text for an extractive answer: the cited sentences under a header, then the sources."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.answer import Answer, extract
from knowledge.index.protocol import Hit
from messages import t

__all__ = ["answer_extractive"]


def answer_extractive(
    question: str, hits: Sequence[Hit], *, lang: str | None = None, how_to: bool | None = None
) -> Answer:
    """The knowledge base's answer to ``question`` in words: each sentence ends with the
    number of the passage it quotes (``[1]`` is the first hit), then the numbered sources;
    "I don't know" when the passages do not cover the question."""
    found = extract(question, hits, how_to=how_to)
    if not found.supported:
        return Answer(t("knowledge.answer.unknown", lang), [], False, found.support)
    lines = [t("knowledge.answer.header", lang)]
    lines += [f"• {sentence} [{n}]" for sentence, n in found.sentences]
    lines.append(t("knowledge.answer.sources", lang))
    lines += [f"[{c.n}] {hits[c.n - 1].title_path} ({c.source})" for c in found.citations]
    return Answer("\n".join(lines), found.citations, True, found.support)
