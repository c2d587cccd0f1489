"""Chunks keep their heading path and split Chinese text on sentence boundaries."""

from __future__ import annotations

import pytest

from knowledge.chunking import chunk_block, chunk_document, split_sentences
from knowledge.documents import Block, Document


def test_sentences_split_on_chinese_and_english_punctuation() -> None:
    text = "先看日志。再看事件！是否 OOM？检查配置；然后回滚. Done! Really? Yes"
    assert split_sentences(text) == [
        "先看日志。",
        "再看事件！",
        "是否 OOM？",
        "检查配置；",
        "然后回滚.",
        "Done!",
        "Really?",
        "Yes",
    ]


def test_each_chunk_carries_its_title_path() -> None:
    doc = Document(
        "disk.md",
        "磁盘压力",
        (
            Block((), "简介。"),
            Block(("诊断", "inode"), "执行 df -i。"),
            Block(("修复",), "清理镜像。"),
        ),
    )
    chunks = chunk_document(doc)
    assert [c.title_path for c in chunks] == [
        "磁盘压力",
        "磁盘压力 › 诊断 › inode",
        "磁盘压力 › 修复",
    ]
    assert [c.id for c in chunks] == ["disk.md#0", "disk.md#1", "disk.md#2"]
    assert {c.source for c in chunks} == {"disk.md"}


def test_long_chinese_section_splits_at_sentence_ends_with_overlap() -> None:
    sentences = [f"第{i}步检查节点{i}的状态并记录结果。" for i in range(60)]
    block = Block(("诊断",), "".join(sentences))
    texts = chunk_block(block, max_chars=120, overlap=40)
    assert len(texts) > 5
    assert all(len(text) <= 120 for text in texts)
    assert all(" " not in text for text in texts)  # Chinese sentences are joined without spaces
    assert all(text.endswith("。") for text in texts)
    joined = "".join(texts)
    assert all(sentence in joined for sentence in sentences)  # nothing lost
    for before, after in zip(texts, texts[1:], strict=False):
        first_after, last_before = split_sentences(after)[0], split_sentences(before)[-1]
        assert first_after in before and last_before in after  # overlapping sentences


def test_a_sentence_longer_than_the_chunk_is_cut_hard() -> None:
    texts = chunk_block(Block((), "长" * 250), max_chars=100, overlap=0)
    assert [len(t) for t in texts] == [100, 100, 50]


def test_paragraphs_are_packed_together_when_they_fit() -> None:
    texts = chunk_block(Block((), "one.\n\ntwo.\n\nthree."), max_chars=100, overlap=10)
    assert texts == ["one.\n\ntwo.\n\nthree."]


@pytest.mark.parametrize(("max_chars", "overlap"), [(0, 0), (100, 100), (100, -1)])
def test_bad_sizes_are_refused(max_chars: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        chunk_block(Block((), "x"), max_chars=max_chars, overlap=overlap)
