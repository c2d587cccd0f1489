"""The embedded default index: Okapi BM25 over an inverted index, persisted as JSON.

Tokens are stored with each chunk, so loading a persisted index rebuilds the postings
without tokenising anything again.
"""

from __future__ import annotations

import heapq
import json
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from knowledge.documents import Chunk
from knowledge.glossary import expand
from knowledge.index.protocol import Hit, hit_from_chunk
from knowledge.tokens import tokenize

__all__ = ["BM25Index", "chunk_tokens"]

_FILE = "bm25.json"


def chunk_tokens(chunk: Chunk) -> list[str]:
    """What BM25 indexes for a chunk: its title path and its text."""
    return tokenize(f"{chunk.title_path}\n{chunk.text}")


class BM25Index:
    """BM25 (k1, b) with incremental add/remove."""

    signature = "bm25"

    def __init__(self, k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._reset()

    def _reset(self) -> None:
        self._chunks: dict[str, Chunk] = {}
        self._lengths: dict[str, int] = {}
        self._tokens: dict[str, list[str]] = {}
        self._postings: dict[str, dict[str, int]] = {}
        self._total_length = 0

    def __len__(self) -> int:
        return len(self._chunks)

    def add(self, chunks: Sequence[Chunk]) -> None:
        for chunk in chunks:
            self._insert(chunk, chunk_tokens(chunk))

    def _insert(self, chunk: Chunk, tokens: list[str]) -> None:
        if chunk.id in self._chunks:
            self._drop(chunk.id)
        self._chunks[chunk.id] = chunk
        self._tokens[chunk.id] = tokens
        self._lengths[chunk.id] = len(tokens)
        self._total_length += len(tokens)
        for token, count in Counter(tokens).items():
            self._postings.setdefault(token, {})[chunk.id] = count

    def _drop(self, chunk_id: str) -> None:
        for token in set(self._tokens.pop(chunk_id)):
            posting = self._postings[token]
            del posting[chunk_id]
            if not posting:
                del self._postings[token]
        self._total_length -= self._lengths.pop(chunk_id)
        del self._chunks[chunk_id]

    def remove(self, source: str) -> int:
        doomed = [cid for cid, chunk in self._chunks.items() if chunk.source == source]
        for chunk_id in doomed:
            self._drop(chunk_id)
        return len(doomed)

    def scores(self, query: str) -> dict[str, float]:
        """BM25 score of every chunk sharing a token with the (glossary-expanded) query."""
        total = len(self._chunks)
        if not total:
            return {}
        average = self._total_length / total or 1.0
        scores: dict[str, float] = {}
        for token in expand(tokenize(query)):
            posting = self._postings.get(token)
            if not posting:
                continue
            idf = math.log(1.0 + (total - len(posting) + 0.5) / (len(posting) + 0.5))
            for chunk_id, tf in posting.items():
                norm = self.k1 * (1.0 - self.b + self.b * self._lengths[chunk_id] / average)
                scores[chunk_id] = scores.get(chunk_id, 0.0) + idf * tf * (self.k1 + 1) / (
                    tf + norm
                )
        return scores

    def search(self, query: str, top_k: int = 5) -> list[Hit]:
        best = heapq.nlargest(top_k, self.scores(query).items(), key=lambda kv: (kv[1], kv[0]))
        return [hit_from_chunk(self._chunks[chunk_id], score) for chunk_id, score in best]

    def sources(self) -> set[str]:
        return {chunk.source for chunk in self._chunks.values()}

    def chunks(self) -> list[Chunk]:
        return list(self._chunks.values())

    def persist(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        rows = [
            {**chunk.__dict__, "tokens": self._tokens[chunk.id]} for chunk in self._chunks.values()
        ]
        tmp = directory / (_FILE + ".tmp")
        tmp.write_text(json.dumps({"version": 1, "chunks": rows}, ensure_ascii=False), "utf-8")
        tmp.replace(directory / _FILE)

    def load(self, directory: Path) -> bool:
        path = directory / _FILE
        if not path.exists():
            return False
        data = json.loads(path.read_text(encoding="utf-8"))
        self._reset()
        for row in data["chunks"]:
            tokens = row.pop("tokens")
            self._insert(Chunk(**row), tokens)
        return True
