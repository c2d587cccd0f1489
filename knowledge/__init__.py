"""Knowledge: loaders, Chinese-aware chunking, hybrid retrieval and grounded answers.

Typical use::

    kb = KnowledgeBase(root=Path("knowledge/base"), data_dir=Path("var/knowledge"))
    kb.refresh()
    hits = kb.search("Pod 一直 CrashLoopBackOff", top_k=5)
    answer = answer_extractive("Pod 一直 CrashLoopBackOff", hits)
"""

from knowledge.answer import Answer, Citation, answer_extractive, cite, format_context
from knowledge.documents import Chunk, Document
from knowledge.index.protocol import Hit, Index
from knowledge.knowledge_base import KnowledgeBase, RefreshReport
from knowledge.paths import safe_join

__all__ = [
    "Answer",
    "Chunk",
    "Citation",
    "Document",
    "Hit",
    "Index",
    "KnowledgeBase",
    "RefreshReport",
    "answer_extractive",
    "cite",
    "format_context",
    "safe_join",
]
