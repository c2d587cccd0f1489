"""Content hashes of the knowledge folder, and what changed since the last refresh."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.loaders import iter_source_files
from knowledge.paths import relative_source

__all__ = ["Changes", "diff", "file_hash", "scan", "read_manifest", "write_manifest"]


@dataclass(frozen=True)
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def scan(root: Path) -> dict[str, str]:
    """``{source: sha256}`` for every supported file under ``root``."""
    return {relative_source(root, path): file_hash(path) for path in iter_source_files(root)}


def diff(old: dict[str, str], new: dict[str, str]) -> Changes:
    """Pure comparison of two scans."""
    return Changes(
        added=sorted(set(new) - set(old)),
        changed=sorted(s for s in set(new) & set(old) if new[s] != old[s]),
        removed=sorted(set(old) - set(new)),
        unchanged=sorted(s for s in set(new) & set(old) if new[s] == old[s]),
    )


def read_manifest(path: Path) -> tuple[str, dict[str, str]]:
    """``(index_signature, hashes)``; empty if the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return str(data["signature"]), {str(k): str(v) for k, v in data["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "", {}


def write_manifest(path: Path, signature: str, files: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"signature": signature, "files": files}, indent=1), "utf-8")
    tmp.replace(path)
