"""The knowledge base the bot and the CLI use, configured from the environment.

- files: ``CLOUDOPS_KNOWLEDGE_DIR``, else the starter runbooks in ``knowledge/base/``;
- index data: ``$CLOUDOPS_DATA_DIR/knowledge``, else ``./var/knowledge``;
- dense vectors: EMBEDDINGS_BASE_URL + EMBEDDINGS_MODEL (+ EMBEDDINGS_API_KEY);
- Weaviate instead of the embedded index: WEAVIATE_URL (+ WEAVIATE_API_KEY).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from knowledge.embedding.openai_endpoint import embedder_from_env
from knowledge.knowledge_base import KnowledgeBase

__all__ = ["STARTER_BASE", "data_dir_from_env", "knowledge_base_from_env", "root_from_env"]

STARTER_BASE = Path(__file__).resolve().parent / "base"


def root_from_env(env: Mapping[str, str]) -> Path:
    return Path(env.get("CLOUDOPS_KNOWLEDGE_DIR") or STARTER_BASE)


def data_dir_from_env(env: Mapping[str, str]) -> Path:
    return Path(env.get("CLOUDOPS_DATA_DIR") or "var") / "knowledge"


def knowledge_base_from_env(env: Mapping[str, str] | None = None) -> KnowledgeBase:
    env = os.environ if env is None else env
    embedder = embedder_from_env(env)
    root, data_dir = root_from_env(env), data_dir_from_env(env)
    url = env.get("WEAVIATE_URL", "")
    if not url:
        return KnowledgeBase(root, data_dir, embedder)
    from knowledge.index.weaviate_store import WeaviateIndex, connect_weaviate

    client = connect_weaviate(url, env.get("WEAVIATE_API_KEY"))
    return KnowledgeBase(root, data_dir, index=WeaviateIndex(client, embedder=embedder))
