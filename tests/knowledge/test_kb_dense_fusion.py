"""Dense retrieval through the real openai client against a loopback /v1/embeddings,
and reciprocal rank fusion with BM25."""

from __future__ import annotations

from typing import Any

from knowledge.documents import Chunk
from knowledge.embedding.openai_endpoint import OpenAIEmbedder, embedder_from_env
from knowledge.index.bm25 import BM25Index
from knowledge.index.dense import DenseIndex
from knowledge.index.fusion import reciprocal_rank_fusion
from knowledge.index.hybrid import HybridIndex

CHUNKS = [
    Chunk("a#0", "a.md", "Fleet", "", "Automobile maintenance schedule for the fleet."),
    Chunk("b#0", "b.md", "Bikes", "", "Bicycle repair and tyre pressure."),
    Chunk("c#0", "c.md", "Office", "", "Printer paper and toner supplies."),
]


def test_embedder_calls_the_endpoint_with_model_and_key(
    openai_embedder: OpenAIEmbedder, embeddings_api: Any
) -> None:
    vectors = openai_embedder.embed(["one", "two", "three", "four", "five"])
    assert vectors.shape == (5, 64)
    calls = embeddings_api.calls
    assert len(calls) == 2  # batch_size=4
    assert calls[0]["path"] == "/v1/embeddings"
    assert calls[0]["headers"]["authorization"] == "Bearer sk-test"
    assert calls[0]["body"]["model"] == "fake-embed-1"
    assert calls[0]["body"]["input"] == ["one", "two", "three", "four"]
    # rows are unit vectors, in input order
    assert abs(float((vectors**2).sum(axis=1)[0]) - 1.0) < 1e-5


def test_fusion_finds_what_only_the_dense_side_understands(
    openai_embedder: OpenAIEmbedder,
) -> None:
    bm25, dense = BM25Index(), DenseIndex(openai_embedder)
    hybrid = HybridIndex(bm25, dense)
    hybrid.add(CHUNKS)
    # "vehicle" is not in any chunk: BM25 finds nothing, the (fake) model knows it means car.
    assert bm25.search("vehicle", 3) == []
    assert dense.search("vehicle", 1)[0].source == "a.md"
    assert hybrid.search("vehicle", 1)[0].source == "a.md"
    # An exact word still comes first through the lexical side.
    assert hybrid.search("toner", 1)[0].source == "c.md"


def test_rrf_prefers_items_ranked_well_by_both_lists() -> None:
    fused = reciprocal_rank_fusion([["x", "both", "y"], ["z", "both", "w"]])
    assert fused[0][0] == "both"
    assert fused[0][1 + 0] == 2 / 62


def test_embedder_from_env_needs_url_and_model() -> None:
    assert embedder_from_env({}) is None
    assert embedder_from_env({"EMBEDDINGS_BASE_URL": "http://x/v1"}) is None
    embedder = embedder_from_env({"EMBEDDINGS_BASE_URL": "http://x/v1", "EMBEDDINGS_MODEL": "m"})
    assert embedder is not None and embedder.name == "openai:m"
