"""The one interface every index implements, and the hit it returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from knowledge.documents import SECTION_SEPARATOR, Chunk

__all__ = ["Hit", "Index", "hit_from_chunk"]


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk. ``score`` is comparable only within one index type."""

    title: str
    source: str
    section: str
    text: str
    score: float
    chunk_id: str = ""

    @property
    def title_path(self) -> str:
        return SECTION_SEPARATOR.join(part for part in (self.title, self.section) if part)


def hit_from_chunk(chunk: Chunk, score: float) -> Hit:
    return Hit(chunk.title, chunk.source, chunk.section, chunk.text, float(score), chunk.id)


@runtime_checkable
class Index(Protocol):
    """Chunks in, ranked hits out. ``signature`` names the configuration (model etc.)."""

    @property
    def signature(self) -> str: ...

    def add(self, chunks: Sequence[Chunk]) -> None:
        """Add chunks; a chunk whose id is already present replaces it."""

    def remove(self, source: str) -> int:
        """Drop every chunk of ``source``; return how many were dropped."""

    def search(self, query: str, top_k: int = 5) -> list[Hit]:
        """At most ``top_k`` hits, best first; empty for an empty index or query."""

    def sources(self) -> set[str]: ...

    def persist(self, directory: Path) -> None: ...

    def load(self, directory: Path) -> bool:
        """Replace the contents with what ``persist`` wrote; False if nothing was there."""
