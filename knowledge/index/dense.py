"""Dense vectors (cosine similarity) from any :class:`~knowledge.embedding.Embedder`.

Vectors are kept in one float32 numpy matrix and persisted as ``.npy`` beside the chunks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.documents import Chunk
from knowledge.embedding.protocol import Embedder
from knowledge.index.protocol import Hit, hit_from_chunk

__all__ = ["DenseIndex"]

_VECTORS, _CHUNKS = "dense.npy", "dense.json"


class DenseIndex:
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._chunks: list[Chunk] = []
        self._matrix = np.zeros((0, 0), dtype=np.float32)

    @property
    def signature(self) -> str:
        return f"dense:{self.embedder.name}"

    def __len__(self) -> int:
        return len(self._chunks)

    def add(self, chunks: Sequence[Chunk]) -> None:
        if not chunks:
            return
        replaced = {chunk.id for chunk in chunks}
        keep = [i for i, chunk in enumerate(self._chunks) if chunk.id not in replaced]
        vectors = self.embedder.embed([f"{c.title_path}\n{c.text}" for c in chunks])
        old = self._matrix[keep] if len(keep) else np.zeros((0, vectors.shape[1]), np.float32)
        self._chunks = [self._chunks[i] for i in keep] + list(chunks)
        self._matrix = np.vstack([old, vectors]).astype(np.float32)

    def remove(self, source: str) -> int:
        keep = [i for i, chunk in enumerate(self._chunks) if chunk.source != source]
        dropped = len(self._chunks) - len(keep)
        self._chunks = [self._chunks[i] for i in keep]
        self._matrix = self._matrix[keep] if keep else np.zeros((0, 0), dtype=np.float32)
        return dropped

    def search(self, query: str, top_k: int = 5) -> list[Hit]:
        if not self._chunks or not query.strip() or top_k <= 0:
            return []
        similarity = self._matrix @ self.embedder.embed([query])[0]
        k = min(top_k, len(self._chunks))
        best = np.argpartition(-similarity, k - 1)[:k]
        best = best[np.argsort(-similarity[best], kind="stable")]
        return [hit_from_chunk(self._chunks[i], float(similarity[i])) for i in best]

    def sources(self) -> set[str]:
        return {chunk.source for chunk in self._chunks}

    def persist(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / _VECTORS, self._matrix)
        meta = {"embedder": self.embedder.name, "chunks": [c.__dict__ for c in self._chunks]}
        (directory / _CHUNKS).write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    def load(self, directory: Path) -> bool:
        """Load what ``persist`` wrote, unless it was embedded by another model."""
        if not (directory / _VECTORS).exists() or not (directory / _CHUNKS).exists():
            return False
        meta = json.loads((directory / _CHUNKS).read_text(encoding="utf-8"))
        if meta.get("embedder") != self.embedder.name:
            return False
        self._chunks = [Chunk(**row) for row in meta["chunks"]]
        self._matrix = np.load(directory / _VECTORS).astype(np.float32)
        return True
