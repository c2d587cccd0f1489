"""The data that flows through the knowledge package: documents, blocks and chunks."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Block", "Chunk", "Document", "SECTION_SEPARATOR"]

SECTION_SEPARATOR = " › "


@dataclass(frozen=True)
class Block:
    """A run of text under one heading path (the headings below the document title)."""

    headings: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Document:
    """One loaded file. ``source`` is its POSIX path relative to the knowledge folder."""

    source: str
    title: str
    blocks: tuple[Block, ...]
    pages: int = 1


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of a document, carrying its title and section path."""

    id: str
    source: str
    title: str
    section: str
    text: str

    @property
    def title_path(self) -> str:
        """``"Runbook › Section › Subsection"``."""
        return SECTION_SEPARATOR.join(part for part in (self.title, self.section) if part)
