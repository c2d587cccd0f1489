"""PDF via pypdf: one block per page, with the page as its section ("p. 3")."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from knowledge.documents import Block

__all__ = ["parse_pdf"]


def parse_pdf(path: Path, fallback_title: str) -> tuple[str, list[Block], int]:
    """Return ``(title, blocks, page_count)``."""
    reader = PdfReader(path)
    meta_title = reader.metadata.title if reader.metadata else None
    blocks = []
    for number, page in enumerate(reader.pages, start=1):
        text = (page.extract_text() or "").strip()
        if text:
            blocks.append(Block((f"p. {number}",), text))
    return (
        (str(meta_title).strip() or fallback_title) if meta_title else fallback_title,
        blocks,
        len(reader.pages),
    )
