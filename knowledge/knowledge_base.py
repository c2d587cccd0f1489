"""The facade the rest of the bot uses: a folder of files kept in sync with an index."""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.answer import Extract, extract
from knowledge.chunking import chunk_document
from knowledge.embedding.protocol import Embedder
from knowledge.howto import HOW_TO_DEPTH, is_how_to, prefer_actions
from knowledge.index.bm25 import BM25Index
from knowledge.index.dense import DenseIndex
from knowledge.index.hybrid import HybridIndex
from knowledge.index.protocol import Hit, Index
from knowledge.loaders import SUFFIXES, iter_source_files, load_document
from knowledge.manifest import diff, read_manifest, scan, write_manifest
from knowledge.paths import safe_join

__all__ = ["KnowledgeBase", "RefreshReport", "default_index"]


@dataclass(frozen=True)
class RefreshReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    chunks: int = 0
    pages: int = 0
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def reindexed(self) -> list[str]:
        return [*self.added, *self.changed]

    def counts(self) -> dict[str, int]:
        """How many files were added, changed, removed and left unchanged."""
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "unchanged": self.unchanged,
        }


def default_index(embedder: Embedder | None) -> Index:
    """BM25 alone, or BM25 fused with dense vectors when an embedder is given."""
    return HybridIndex(BM25Index(), DenseIndex(embedder)) if embedder else BM25Index()


class KnowledgeBase:
    def __init__(
        self,
        root: Path,
        data_dir: Path,
        embedder: Embedder | None = None,
        *,
        index: Index | None = None,
        max_chars: int = 800,
        overlap: int = 120,
    ) -> None:
        self.root, self.data_dir = Path(root), Path(data_dir)
        self.root.mkdir(parents=True, exist_ok=True)
        self.index = index if index is not None else default_index(embedder)
        self.max_chars, self.overlap = max_chars, overlap
        self._lock = threading.Lock()
        self._manifest = self.data_dir / "manifest.json"
        signature, files = read_manifest(self._manifest)
        if signature == self.index.signature and self.index.load(self.data_dir):
            self._files = files
        else:  # another index configuration (or none): rebuild from scratch
            for source in self.index.sources():
                self.index.remove(source)
            self._files = {}

    def refresh(self) -> RefreshReport:
        """Re-index only the files whose content hash changed; drop deleted files."""
        with self._lock:
            current = scan(self.root)
            changes = diff(self._files, current)
            for source in [*changes.changed, *changes.removed]:
                self.index.remove(source)
                self._files.pop(source, None)
            chunks = pages = 0
            errors: dict[str, str] = {}
            for source in [*changes.added, *changes.changed]:
                try:
                    document = load_document(self.root / source, self.root)
                except Exception as exc:  # noqa: BLE001 - one bad file must not stop the rest
                    errors[source] = f"{type(exc).__name__}: {exc}"
                    continue
                new_chunks = chunk_document(document, self.max_chars, self.overlap)
                self.index.add(new_chunks)
                self._files[source] = current[source]
                chunks, pages = chunks + len(new_chunks), pages + document.pages
            if changes.added or changes.changed or changes.removed:
                self.index.persist(self.data_dir)
            write_manifest(self._manifest, self.index.signature, self._files)
        ok = (
            [s for s in changes.added if s not in errors],
            [s for s in changes.changed if s not in errors],
        )
        return RefreshReport(*ok, changes.removed, len(changes.unchanged), chunks, pages, errors)

    def ingest(self, path: Path, name: str | None = None) -> list[str]:
        """Copy a file (or a folder's supported files) into the base, then index them."""
        path = Path(path)
        if path.is_dir():
            files = [
                (p, f"{name or path.name}/{p.relative_to(path).as_posix()}")
                for p in iter_source_files(path)
            ]
        elif path.is_file():
            files = [(path, name or path.name)]
        else:
            raise ValueError(f"{path} is neither a file nor a folder")
        targets = [self._target(file_name) for _, file_name in files]
        for (origin, _), target in zip(files, targets, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, target)
        return self._index_new(targets)

    def ingest_bytes(self, name: str, content: bytes) -> list[str]:
        """Store ``content`` under ``name`` (e.g. a file sent in chat), then index it."""
        target = self._target(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        return self._index_new([target])

    def _target(self, name: str) -> Path:
        target = safe_join(self.root, name)
        if target.suffix.lower() not in SUFFIXES:
            raise ValueError(f"unsupported file type {target.suffix or '(none)'!r} for {name!r}")
        return target

    def _index_new(self, targets: list[Path]) -> list[str]:
        report = self.refresh()
        wanted = {t.resolve().relative_to(self.root.resolve()).as_posix() for t in targets}
        failed = {s: e for s, e in report.errors.items() if s in wanted}
        if failed:
            raise ValueError(f"could not load {', '.join(f'{s} ({e})' for s, e in failed.items())}")
        return sorted(wanted)

    def list_sources(self) -> list[str]:
        return sorted(self.index.sources())

    def search(self, query: str, top_k: int = 5) -> list[Hit]:
        if top_k <= 0:
            raise ValueError(f"top_k must be positive, got {top_k}")
        return self.index.search(query, top_k) if query.strip() else []

    def answer(self, question: str, top_k: int = 5) -> Extract:
        """The cited sentences that answer ``question`` (or a refusal)."""
        if not is_how_to(question):
            return extract(question, self.search(question, top_k))
        hits = prefer_actions(self.search(question, top_k * HOW_TO_DEPTH))[:top_k]
        return extract(question, hits, how_to=True)
