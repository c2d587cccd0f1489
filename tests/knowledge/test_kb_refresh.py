"""KnowledgeBase: refresh re-indexes only what changed, persistence, safe ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.embedding.openai_endpoint import OpenAIEmbedder


def _write(root: Path, name: str, text: str) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text, encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    base = tmp_path / "base"
    _write(base, "dns.md", "# DNS\n## 修复\n增加 CoreDNS 副本。\n")
    _write(base, "oom.md", "# OOM\n## Fixes\nRaise the memory limit.\n")
    _write(base, "notes/certs.txt", "Renew certificates with cmctl renew.")
    return base


def test_refresh_indexes_new_then_only_changed_files(root: Path, tmp_path: Path) -> None:
    kb = KnowledgeBase(root, tmp_path / "data")
    first = kb.refresh()
    assert first.added == ["dns.md", "notes/certs.txt", "oom.md"]
    assert first.chunks >= 3 and not first.changed and not first.removed
    again = kb.refresh()
    assert (again.added, again.changed, again.removed, again.unchanged) == ([], [], [], 3)

    _write(root, "oom.md", "# OOM\n## Fixes\nProfile the heap with pprof.\n")
    (root / "dns.md").unlink()
    _write(root, "disk.md", "# Disk\nPrune images with crictl.\n")
    report = kb.refresh()
    assert (report.added, report.changed, report.removed) == (["disk.md"], ["oom.md"], ["dns.md"])
    assert report.unchanged == 1
    assert kb.list_sources() == ["disk.md", "notes/certs.txt", "oom.md"]
    assert kb.search("pprof heap", 1)[0].source == "oom.md"
    assert all("memory limit" not in hit.text for hit in kb.search("memory limit", 5))
    assert all(hit.source != "dns.md" for hit in kb.search("CoreDNS 副本", 5))


def test_persisted_index_loads_without_tokenising_chunks(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = KnowledgeBase(root, tmp_path / "data")
    kb.refresh()
    before = [(h.chunk_id, round(h.score, 6)) for h in kb.search("CoreDNS memory", 5)]

    def refuse(*_: object) -> list[str]:
        raise AssertionError("a persisted index must not be tokenised again")

    monkeypatch.setattr("knowledge.index.bm25.chunk_tokens", refuse)
    reopened = KnowledgeBase(root, tmp_path / "data")
    assert reopened.refresh().unchanged == 3
    assert [(h.chunk_id, round(h.score, 6)) for h in reopened.search("CoreDNS memory", 5)] == before


def test_a_new_index_configuration_rebuilds(
    root: Path, tmp_path: Path, openai_embedder: OpenAIEmbedder
) -> None:
    KnowledgeBase(root, tmp_path / "data").refresh()
    hybrid = KnowledgeBase(root, tmp_path / "data", embedder=openai_embedder)
    assert len(hybrid.refresh().added) == 3  # vectors did not exist yet: everything re-indexed
    assert hybrid.search("memory limit", 1)[0].source == "oom.md"


def test_a_broken_file_is_reported_and_the_rest_indexed(root: Path, tmp_path: Path) -> None:
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    report = KnowledgeBase(root, tmp_path / "data").refresh()
    assert set(report.errors) == {"broken.pdf"}
    assert sorted(report.added) == ["dns.md", "notes/certs.txt", "oom.md"]


def test_ingest_copies_into_the_base_and_indexes(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "incoming" / "hpa.md"
    _write(outside.parent, "hpa.md", "# HPA\nSet CPU requests so the autoscaler can scale.\n")
    kb = KnowledgeBase(root, tmp_path / "data")
    assert kb.ingest(outside) == ["hpa.md"]
    assert (root / "hpa.md").read_text(encoding="utf-8").startswith("# HPA")
    assert kb.search("autoscaler CPU requests", 1)[0].source == "hpa.md"


def test_ingest_bytes_refuses_names_that_escape(root: Path, tmp_path: Path) -> None:
    kb = KnowledgeBase(root, tmp_path / "data")
    for name in ["../evil.md", "/tmp/evil.md", "a/../../evil.md", "evil.exe"]:
        with pytest.raises(ValueError):
            kb.ingest_bytes(name, b"# Evil\n")
    assert not (tmp_path / "evil.md").exists()
    assert kb.ingest_bytes("team/runbook.md", "# 值班\n重启服务。".encode()) == ["team/runbook.md"]
    assert "team/runbook.md" in kb.list_sources()
