"""Knowledge: loaders, Chinese-aware chunking, hybrid retrieval and grounded answers.

Typical use::

    kb = KnowledgeBase(root=Path("knowledge/base"), data_dir=Path("var/knowledge"))
    kb.refresh()
    hits = kb.search("Pod 一直 CrashLoopBackOff", top_k=5)
    found = extract("Pod 一直 CrashLoopBackOff", hits)  # cited sentences, or a refusal

Exports are imported on first use (the retrievers pull in heavy libraries), so that
``cloudops`` starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from knowledge.answer import Answer, Citation, Extract, cite, extract, format_context
    from knowledge.documents import Chunk, Document
    from knowledge.index.protocol import Hit, Index
    from knowledge.knowledge_base import KnowledgeBase, RefreshReport
    from knowledge.paths import safe_join

_HOMES = {  # exported name -> the module that defines it
    "Answer": "knowledge.answer",
    "Citation": "knowledge.answer",
    "Extract": "knowledge.answer",
    "extract": "knowledge.answer",
    "cite": "knowledge.answer",
    "format_context": "knowledge.answer",
    "Chunk": "knowledge.documents",
    "Document": "knowledge.documents",
    "Hit": "knowledge.index.protocol",
    "Index": "knowledge.index.protocol",
    "KnowledgeBase": "knowledge.knowledge_base",
    "RefreshReport": "knowledge.knowledge_base",
    "safe_join": "knowledge.paths",
}

__all__ = [
    "Answer",
    "Chunk",
    "Citation",
    "Document",
    "Extract",
    "Hit",
    "Index",
    "KnowledgeBase",
    "RefreshReport",
    "extract",
    "cite",
    "format_context",
    "safe_join",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'knowledge' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
