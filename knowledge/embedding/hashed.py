"""A local, model-free embedder: signed feature hashing of retrieval tokens.

It is LEXICAL, not semantic: it is a stand-in for tests and for machines without an
embedding model, and benchmarks must label it as such.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from knowledge.embedding.protocol import normalise_rows
from knowledge.tokens import tokenize

__all__ = ["HashedEmbedder"]


class HashedEmbedder:
    def __init__(self, dimensions: int = 512) -> None:
        if dimensions <= 0:
            raise ValueError(f"dimensions must be positive, got {dimensions}")
        self.dimensions = dimensions

    @property
    def name(self) -> str:
        return f"hashed-bow-{self.dimensions}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text):
                digest = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest())
                sign = 1.0 if digest & 1 else -1.0
                matrix[row, (digest >> 1) % self.dimensions] += sign
        return normalise_rows(matrix)
