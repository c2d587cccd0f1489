"""BM25 and dense retrieval fused by reciprocal rank fusion."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from knowledge.documents import Chunk
from knowledge.index.bm25 import BM25Index
from knowledge.index.dense import DenseIndex
from knowledge.index.fusion import reciprocal_rank_fusion
from knowledge.index.protocol import Hit

__all__ = ["HybridIndex"]


class HybridIndex:
    """Each side returns ``depth`` candidates; the fused list is cut to ``top_k``."""

    def __init__(self, lexical: BM25Index, dense: DenseIndex, depth: int = 50) -> None:
        self.lexical, self.dense, self.depth = lexical, dense, depth

    @property
    def signature(self) -> str:
        return f"hybrid:{self.lexical.signature}+{self.dense.signature}"

    def add(self, chunks: Sequence[Chunk]) -> None:
        self.lexical.add(chunks)
        self.dense.add(chunks)

    def remove(self, source: str) -> int:
        self.dense.remove(source)
        return self.lexical.remove(source)

    def search(self, query: str, top_k: int = 5) -> list[Hit]:
        depth = max(self.depth, top_k)
        rankings = [self.lexical.search(query, depth), self.dense.search(query, depth)]
        by_id = {hit.chunk_id: hit for ranking in reversed(rankings) for hit in ranking}
        fused = reciprocal_rank_fusion([[hit.chunk_id for hit in r] for r in rankings])
        return [_rescored(by_id[chunk_id], score) for chunk_id, score in fused[:top_k]]

    def sources(self) -> set[str]:
        return self.lexical.sources() | self.dense.sources()

    def persist(self, directory: Path) -> None:
        self.lexical.persist(directory)
        self.dense.persist(directory)

    def load(self, directory: Path) -> bool:
        return self.lexical.load(directory) & self.dense.load(directory)


def _rescored(hit: Hit, score: float) -> Hit:
    return Hit(hit.title, hit.source, hit.section, hit.text, score, hit.chunk_id)
