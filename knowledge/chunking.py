"""Chinese-aware chunking that never crosses a section and keeps the heading path."""

from __future__ import annotations

import re

from knowledge.documents import SECTION_SEPARATOR, Block, Chunk, Document

__all__ = ["split_sentences", "split_paragraphs", "chunk_document", "chunk_block"]

# A sentence ends after Chinese 。！？；, or after . ! ? ; followed by whitespace.
_SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?;])\s+")
_PARAGRAPH = re.compile(r"\n\s*\n")
_CJK_END = re.compile(r"^[\u3400-\u9fff]")


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH.split(text) if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, Chinese and English punctuation alike, line breaks too."""
    sentences: list[str] = []
    for line in text.splitlines():
        sentences.extend(s.strip() for s in _SENTENCE_END.split(line) if s and s.strip())
    return sentences


def _pieces(text: str, max_chars: int) -> list[tuple[str, str]]:
    """``(separator, piece)``: paragraphs, then sentences, then hard cuts, each short enough.

    The separator is what joins the piece to the one before it in the same chunk.
    """
    out: list[tuple[str, str]] = []
    for paragraph in split_paragraphs(text):
        if len(paragraph) <= max_chars:
            out.append(("\n\n", paragraph))
            continue
        for n, sentence in enumerate(split_sentences(paragraph)):
            cuts = [sentence[i : i + max_chars] for i in range(0, len(sentence), max_chars)]
            glue = "\n\n" if n == 0 else ("" if _CJK_END.search(sentence) else " ")
            out.extend((glue if i == 0 else "", cut) for i, cut in enumerate(cuts))
    return out


def chunk_block(block: Block, max_chars: int = 800, overlap: int = 120) -> list[str]:
    """Pack a block's paragraphs into texts of at most ``max_chars`` (plus the overlap).

    Each text after the first starts with the last sentences (up to ``overlap``
    characters) of the one before, so a fact cut at a boundary stays findable.
    """
    if max_chars <= 0 or overlap < 0 or overlap >= max_chars:
        raise ValueError(f"need 0 <= overlap < max_chars, got {overlap=} {max_chars=}")
    texts: list[str] = []
    current = ""
    for glue, piece in _pieces(block.text, max_chars):
        if current and len(current) + len(piece) + len(glue) > max_chars:
            texts.append(current)
            current = _tail(current, overlap)
            glue = glue or ("" if _CJK_END.search(piece) else " ")
        current = f"{current}{glue}{piece}" if current else piece
    if current and (not texts or current != _tail(texts[-1], overlap)):
        texts.append(current)
    return texts


def _tail(text: str, overlap: int) -> str:
    """The last whole sentences of ``text`` that fit in ``overlap`` characters."""
    if overlap == 0:
        return ""
    kept: list[str] = []
    size = 0
    for sentence in reversed(split_sentences(text)):
        if size + len(sentence) > overlap:
            break
        kept.insert(0, sentence)
        size += len(sentence) + 1
    return "".join(s if not i or _CJK_END.search(s) else f" {s}" for i, s in enumerate(kept))


def chunk_document(doc: Document, max_chars: int = 800, overlap: int = 120) -> list[Chunk]:
    """All chunks of ``doc``; ids are ``"<source>#<n>"`` in document order."""
    chunks: list[Chunk] = []
    for block in doc.blocks:
        section = SECTION_SEPARATOR.join(block.headings)
        for text in chunk_block(block, max_chars, overlap):
            chunk_id = f"{doc.source}#{len(chunks)}"
            chunks.append(Chunk(chunk_id, doc.source, doc.title, section, text))
    return chunks
