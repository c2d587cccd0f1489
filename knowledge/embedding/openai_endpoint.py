"""Embeddings from any OpenAI-compatible ``/v1/embeddings`` endpoint, via the openai client."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import numpy as np
from openai import OpenAI

from knowledge.embedding.protocol import normalise_rows

__all__ = ["OpenAIEmbedder", "embedder_from_env"]


class OpenAIEmbedder:
    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "not-needed",
        batch_size: int = 64,
        timeout: float = 30.0,
    ) -> None:
        if not model:
            raise ValueError("an embeddings model name is required")
        if batch_size <= 0:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        self.model = model
        self.batch_size = batch_size
        self._client = OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout)

    @property
    def name(self) -> str:
        return f"openai:{self.model}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = [text or " " for text in texts[start : start + self.batch_size]]
            response = self._client.embeddings.create(model=self.model, input=batch)
            ordered = sorted(response.data, key=lambda item: item.index)
            if len(ordered) != len(batch):
                raise ValueError(f"endpoint returned {len(ordered)} vectors for {len(batch)} texts")
            rows.extend(list(item.embedding) for item in ordered)
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return normalise_rows(np.array(rows, dtype=np.float32))


def embedder_from_env(env: Mapping[str, str] | None = None) -> OpenAIEmbedder | None:
    """An embedder when EMBEDDINGS_BASE_URL and EMBEDDINGS_MODEL are set, else None."""
    env = os.environ if env is None else env
    base_url, model = env.get("EMBEDDINGS_BASE_URL", ""), env.get("EMBEDDINGS_MODEL", "")
    if not base_url or not model:
        return None
    return OpenAIEmbedder(base_url, model, env.get("EMBEDDINGS_API_KEY", ""))
