"""Retrieval latency on a 10,000-chunk index, ingest throughput and cold-start time.

    .venv/bin/python benchmarks/retrieval_speed.py

- search p50/p95 over the evaluation questions, BM25 and hybrid (BM25 + dense, RRF) with
  the model-free hashed embedder (query embedding by a real model is NOT included);
- ingest: KnowledgeBase.refresh() over copies of the starter runbooks in Markdown,
  HTML and text (a page = 3,000 characters; PDF is not part of this measurement);
- cold start: opening a KnowledgeBase whose 10,000-chunk index is persisted.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from knowledge.chunking import chunk_document, split_sentences  # noqa: E402
from knowledge.default_base import STARTER_BASE  # noqa: E402
from knowledge.documents import Chunk  # noqa: E402
from knowledge.embedding import HashedEmbedder  # noqa: E402
from knowledge.index.bm25 import BM25Index  # noqa: E402
from knowledge.index.dense import DenseIndex  # noqa: E402
from knowledge.index.hybrid import HybridIndex  # noqa: E402
from knowledge.index.protocol import Index  # noqa: E402
from knowledge.knowledge_base import KnowledgeBase  # noqa: E402
from knowledge.loaders import iter_source_files, load_document  # noqa: E402

QUESTIONS = REPO / "benchmarks" / "data" / "retrieval_questions.jsonl"
TARGET = 10_000


def synthetic_chunks(count: int, seed: int = 7) -> list[Chunk]:
    """``count`` chunks made of shuffled sentences of the real runbooks."""
    rng = random.Random(seed)
    real = [
        c
        for p in iter_source_files(STARTER_BASE)
        for c in chunk_document(load_document(p, STARTER_BASE))
    ]
    sentences = [s for c in real for s in split_sentences(c.text)]
    out = []
    for n in range(count):
        model = real[n % len(real)]
        text = " ".join(rng.sample(sentences, 6))
        source = f"synthetic/{n // 8:04d}-{model.source}"
        out.append(Chunk(f"{source}#{n % 8}", source, model.title, model.section, text))
    return out


def latency(index: Index, questions: list[str], rounds: int = 5) -> tuple[float, float]:
    timings = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            index.search(question, 5)
            timings.append((time.perf_counter() - started) * 1000)
    cut = statistics.quantiles(timings, n=100)
    return statistics.median(timings), cut[94]


def ingest_speed(copies: int = 10) -> tuple[int, int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "base"
        for n in range(copies):
            for path in iter_source_files(STARTER_BASE):
                text = path.read_text(encoding="utf-8")
                kind = n % 3
                name = f"{n:02d}-{path.stem}" + (".md", ".txt", ".html")[kind]
                if kind == 2:
                    text = (
                        "<html><body>"
                        + "".join(
                            f"<h2>{line[3:]}</h2>" if line.startswith("## ") else f"<p>{line}</p>"
                            for line in text.splitlines()
                            if line.strip()
                        )
                        + "</body></html>"
                    )
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_text(text, encoding="utf-8")
        kb = KnowledgeBase(root, Path(tmp) / "data")
        started = time.perf_counter()
        report = kb.refresh()
        elapsed = time.perf_counter() - started
        return len(report.added), report.pages, elapsed


def main() -> None:
    questions = [
        json.loads(line)["question"] for line in QUESTIONS.read_text("utf-8").splitlines() if line
    ]
    chunks = synthetic_chunks(TARGET)
    started = time.perf_counter()
    bm25 = BM25Index()
    bm25.add(chunks)
    print(f"BM25 index of {len(bm25)} chunks built in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    dense = DenseIndex(HashedEmbedder())
    dense.add(chunks)
    print(f"dense (hashed-bow-512) vectors in {time.perf_counter() - started:.1f} s")
    hybrid = HybridIndex(bm25, dense)
    for name, index in (("bm25", bm25), ("hybrid (hashed dense)", hybrid)):
        index.search(questions[0], 5)  # warm caches
        p50, p95 = latency(index, questions)
        print(
            f"search {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {5 * len(questions)} queries"
        )

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        bm25.persist(data)
        (data / "manifest.json").write_text(json.dumps({"signature": "bm25", "files": {}}))
        started = time.perf_counter()
        kb = KnowledgeBase(Path(tmp) / "empty-base", data)
        elapsed = time.perf_counter() - started
        print(f"cold start (persisted index, {len(kb.list_sources())} sources): {elapsed:.2f} s")
        shutil.rmtree(Path(tmp) / "empty-base", ignore_errors=True)

    files, pages, seconds = ingest_speed()
    print(
        f"ingest: {files} files, {pages} pages in {seconds:.2f} s = {pages / seconds:.0f} pages/s "
        f"({files / seconds:.0f} files/s)"
    )


if __name__ == "__main__":
    main()
