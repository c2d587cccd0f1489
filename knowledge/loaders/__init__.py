"""Load files of the supported formats into :class:`~knowledge.documents.Document`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from knowledge.documents import Block, Document
from knowledge.loaders.markdown import parse_markdown
from knowledge.loaders.pdf import parse_pdf
from knowledge.loaders.plain import parse_plain
from knowledge.loaders.table import parse_csv
from knowledge.loaders.webpage import parse_html
from knowledge.paths import relative_source

__all__ = ["SUFFIXES", "load_document", "iter_source_files", "PAGE_CHARS"]

SUFFIXES = frozenset({".md", ".markdown", ".txt", ".pdf", ".csv", ".html", ".htm"})
PAGE_CHARS = 3000  # a "page" of a text format, for page counts and ingest speed


def iter_source_files(root: Path) -> Iterator[Path]:
    """Supported files under ``root``, sorted, skipping hidden files and folders."""
    for path in sorted(root.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
        if path.is_file() and not hidden and path.suffix.lower() in SUFFIXES:
            yield path


def load_document(path: Path, root: Path) -> Document:
    """Load ``path`` (which must lie under ``root``); ``ValueError`` for unknown formats."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"unsupported file type {suffix or '(none)'!r} for {path.name}")
    source = relative_source(root, path)
    stem = path.stem.replace("_", " ").replace("-", " ")
    if suffix == ".pdf":
        title, blocks, pages = parse_pdf(path, stem)
        return Document(source, title, tuple(blocks), pages)
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    blocks_of: list[Block]
    if suffix in (".md", ".markdown"):
        title, blocks_of = parse_markdown(text, stem)
    elif suffix in (".html", ".htm"):
        title, blocks_of = parse_html(text, stem)
    elif suffix == ".csv":
        title, blocks_of = parse_csv(text, stem)
    else:
        title, blocks_of = parse_plain(text, stem)
    pages = max(1, -(-len(text) // PAGE_CHARS))
    return Document(source, title, tuple(blocks_of), pages)
