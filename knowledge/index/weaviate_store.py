"""Weaviate (client v4) behind the same :class:`Index` interface, for scale-out.

Chinese is tokenised on our side (jieba) and stored in a whitespace-tokenised
``tokens`` property, so Weaviate's BM25 sees the same words as the embedded index.
With an embedder, vectors are self-provided and search is Weaviate's hybrid query;
without one it is BM25 only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

from knowledge.documents import Chunk
from knowledge.embedding.protocol import Embedder
from knowledge.index.bm25 import chunk_tokens
from knowledge.index.protocol import Hit
from knowledge.tokens import tokenize

__all__ = ["WeaviateIndex", "connect_weaviate", "weaviate_ready"]

DEFAULT_COLLECTION = "KnowledgeChunk"


def weaviate_ready(url: str, timeout: float = 1.0) -> bool:
    """True when a Weaviate server answers its readiness probe at ``url``."""
    try:
        return httpx.get(f"{url.rstrip('/')}/v1/.well-known/ready", timeout=timeout).is_success
    except httpx.HTTPError:
        return False


def connect_weaviate(url: str, api_key: str | None = None, grpc_port: int | None = None) -> Any:
    """A v4 client for ``http(s)://host:port``; gRPC on WEAVIATE_GRPC_PORT (50051)."""
    import weaviate

    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"WEAVIATE_URL must look like http://host:8080, got {url!r}")
    secure = parsed.scheme == "https"
    grpc = grpc_port or int(os.environ.get("WEAVIATE_GRPC_PORT", "50051"))
    return weaviate.connect_to_custom(
        http_host=parsed.hostname,
        http_port=parsed.port or (443 if secure else 80),
        http_secure=secure,
        grpc_host=parsed.hostname,
        grpc_port=grpc,
        grpc_secure=secure,
        auth_credentials=api_key or None,
    )


class WeaviateIndex:
    def __init__(
        self, client: Any, collection: str = DEFAULT_COLLECTION, embedder: Embedder | None = None
    ) -> None:
        from weaviate.classes.config import Configure, DataType, Property, Tokenization

        self.embedder = embedder
        if not client.collections.exists(collection):
            text, field = DataType.TEXT, Tokenization.FIELD
            client.collections.create(
                collection,
                properties=[
                    Property(name="chunk_id", data_type=text, tokenization=field),
                    Property(name="source", data_type=text, tokenization=field),
                    Property(name="title", data_type=text, index_searchable=False),
                    Property(name="section", data_type=text, index_searchable=False),
                    Property(name="text", data_type=text, index_searchable=False),
                    Property(name="tokens", data_type=text, tokenization=Tokenization.WHITESPACE),
                ],
                vector_config=Configure.Vectors.self_provided(),
            )
        self._collection = client.collections.get(collection)

    @property
    def signature(self) -> str:
        return "weaviate" + (f"+{self.embedder.name}" if self.embedder else "")

    def add(self, chunks: Sequence[Chunk]) -> None:
        from weaviate.classes.data import DataObject
        from weaviate.classes.query import Filter
        from weaviate.util import generate_uuid5

        if not chunks:
            return
        ids = [chunk.id for chunk in chunks]
        self._collection.data.delete_many(where=Filter.by_property("chunk_id").contains_any(ids))
        vectors = (
            self.embedder.embed([f"{c.title_path}\n{c.text}" for c in chunks])
            if (self.embedder)
            else None
        )
        objects = [
            DataObject(
                properties=_properties(chunk),
                uuid=generate_uuid5(chunk.id),
                vector=None if vectors is None else vectors[i].tolist(),
            )
            for i, chunk in enumerate(chunks)
        ]
        result = self._collection.data.insert_many(objects)
        if result.has_errors:
            raise RuntimeError(f"Weaviate refused {len(result.errors)} of {len(objects)} chunks")

    def remove(self, source: str) -> int:
        from weaviate.classes.query import Filter

        result = self._collection.data.delete_many(where=Filter.by_property("source").equal(source))
        return int(result.successful)

    def search(self, query: str, top_k: int = 5) -> list[Hit]:
        from weaviate.classes.query import MetadataQuery

        terms = " ".join(tokenize(query))
        if not terms or top_k <= 0:
            return []
        common: dict[str, Any] = {
            "query_properties": ["tokens"],
            "limit": top_k,
            "return_metadata": MetadataQuery(score=True),
        }
        if self.embedder is None:
            response = self._collection.query.bm25(terms, **common)
        else:
            vector = self.embedder.embed([query])[0].tolist()
            response = self._collection.query.hybrid(terms, vector=vector, alpha=0.5, **common)
        return [_hit(obj) for obj in response.objects]

    def sources(self) -> set[str]:
        return {
            str(obj.properties["source"])
            for obj in self._collection.iterator(return_properties=["source"])
        }

    def persist(self, directory: Path) -> None:
        """Nothing to do: the server keeps the data."""

    def load(self, directory: Path) -> bool:
        return True


def _properties(chunk: Chunk) -> dict[str, str]:
    return {
        "chunk_id": chunk.id,
        "source": chunk.source,
        "title": chunk.title,
        "section": chunk.section,
        "text": chunk.text,
        "tokens": " ".join(chunk_tokens(chunk)),
    }


def _hit(obj: Any) -> Hit:
    props = obj.properties
    score = obj.metadata.score if obj.metadata and obj.metadata.score is not None else 0.0
    return Hit(
        str(props["title"]),
        str(props["source"]),
        str(props["section"]),
        str(props["text"]),
        float(score),
        str(props["chunk_id"]),
    )
