"""Text embedders: an OpenAI-compatible endpoint, a local model, a hashed fallback."""

from knowledge.embedding.hashed import HashedEmbedder
from knowledge.embedding.openai_endpoint import OpenAIEmbedder, embedder_from_env
from knowledge.embedding.protocol import Embedder, normalise_rows

__all__ = ["Embedder", "HashedEmbedder", "OpenAIEmbedder", "embedder_from_env", "normalise_rows"]
