"""Extractive answers cite real indexed sources and refuse unrelated questions."""

from __future__ import annotations

import pytest

from bot.texts.knowledge import answer_extractive
from knowledge import KnowledgeBase, format_context
from knowledge.default_base import STARTER_BASE
from messages import t


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    base = KnowledgeBase(STARTER_BASE, tmp_path_factory.mktemp("data"))
    base.refresh()
    return base


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("How do I fix a container that is OOMKilled?", "oomkilled.md"),
        ("节点磁盘空间不足，怎么清理镜像？", "disk-pressure.md"),
        ("证书过期了怎么续期？", "certificate-expiry.md"),
    ],
)
def test_answer_cites_indexed_passages(kb: KnowledgeBase, question: str, source: str) -> None:
    hits = kb.search(question, 5)
    answer = answer_extractive(question, hits, lang="en-US")
    assert answer.supported
    assert answer.citations and answer.citations[0].source == source
    indexed = set(kb.list_sources())
    for citation in answer.citations:
        hit = hits[citation.n - 1]
        assert citation.source in indexed
        assert (citation.title, citation.source, citation.section) == (
            hit.title,
            hit.source,
            hit.section,
        )
        assert f"[{citation.n}]" in answer.text
    bullets = [line for line in answer.text.splitlines() if line.startswith("• ")]
    assert bullets
    for line in bullets:  # each quoted sentence is really in the passage it cites
        sentence, number = line[2:].rsplit(" [", 1)
        assert sentence in hits[int(number.rstrip("]")) - 1].text


@pytest.mark.parametrize(
    "question",
    ["How do I cook rice in a pot?", "下周去上海的高铁票怎么买？", "Who painted the Mona Lisa?"],
)
def test_unrelated_questions_are_refused(kb: KnowledgeBase, question: str) -> None:
    answer = answer_extractive(question, kb.search(question, 5), lang="zh-CN")
    assert not answer.supported
    assert answer.citations == []
    assert answer.text == t("knowledge.answer.unknown", "zh-CN")


def test_no_hits_means_no_answer() -> None:
    answer = answer_extractive("anything", [], lang="en-US")
    assert not answer.supported and answer.text == t("knowledge.answer.unknown", "en-US")


def test_context_numbers_match_citations(kb: KnowledgeBase) -> None:
    hits = kb.search("readiness probe failed", 3)
    context = format_context(hits)
    for n, hit in enumerate(hits, start=1):
        assert f"[{n}] {hit.title_path} ({hit.source})\n{hit.text}" in context
