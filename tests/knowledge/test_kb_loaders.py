"""Each loader turns its format into a titled document with section paths."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.loaders import iter_source_files, load_document


def test_markdown_title_and_nested_headings(tmp_path: Path) -> None:
    (tmp_path / "disk.md").write_text(
        "# Disk full\nintro\n## Diagnosis\nrun df\n### Inodes\nrun df -i\n"
        "```\n# not a heading\n```\n## Fixes\nprune images\n",
        encoding="utf-8",
    )
    doc = load_document(tmp_path / "disk.md", tmp_path)
    assert doc.title == "Disk full"
    by_path = {block.headings: block.text for block in doc.blocks}
    assert by_path[()] == "intro"
    assert by_path[("Diagnosis",)] == "run df"
    assert by_path[("Diagnosis", "Inodes")].startswith("run df -i")
    assert "# not a heading" in by_path[("Diagnosis", "Inodes")]
    assert by_path[("Fixes",)] == "prune images"


def test_plain_text_uses_the_file_name_as_title(tmp_path: Path) -> None:
    (tmp_path / "on_call-notes.txt").write_text("第一段。\n\n第二段。", encoding="utf-8")
    doc = load_document(tmp_path / "on_call-notes.txt", tmp_path)
    assert doc.title == "on call notes"
    assert doc.blocks[0].text == "第一段。\n\n第二段。"


def test_pdf_pages_become_sections(tmp_path: Path, pdf_writer: Callable[..., Path]) -> None:
    pdf_writer(tmp_path / "guide.pdf", ["Drain the node first", "Then upgrade kubelet"], "Upgrade")
    doc = load_document(tmp_path / "guide.pdf", tmp_path)
    assert doc.title == "Upgrade"
    assert doc.pages == 2
    assert [b.headings for b in doc.blocks] == [("p. 1",), ("p. 2",)]
    assert "Drain the node first" in doc.blocks[0].text
    assert "upgrade kubelet" in doc.blocks[1].text


def test_csv_rows_become_column_value_paragraphs(tmp_path: Path) -> None:
    (tmp_path / "alerts.csv").write_text(
        "alert,owner\nHighLatency,payments\nDiskFull,platform\n", encoding="utf-8"
    )
    doc = load_document(tmp_path / "alerts.csv", tmp_path)
    assert doc.blocks[0].text.split("\n\n") == [
        "alert: HighLatency; owner: payments",
        "alert: DiskFull; owner: platform",
    ]


def test_html_headings_and_no_scripts(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><title>DNS guide</title><script>var x = 'secret';</script></head><body>"
        "<h1>DNS guide</h1><p>Intro text.</p><h2>Diagnosis</h2><p>Run nslookup.</p>"
        "<ul><li>Check CoreDNS <p>nested</p></li></ul><h3>Metrics</h3><p>SERVFAIL rate.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    doc = load_document(tmp_path / "page.html", tmp_path)
    assert doc.title == "DNS guide"
    by_path = {block.headings: block.text for block in doc.blocks}
    assert by_path[()] == "Intro text."
    assert by_path[("Diagnosis",)] == "Run nslookup.\n\nCheck CoreDNS nested"
    assert by_path[("Diagnosis", "Metrics")] == "SERVFAIL rate."
    assert all("secret" not in block.text for block in doc.blocks)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.exe").write_bytes(b"MZ")
    with pytest.raises(ValueError, match="unsupported file type"):
        load_document(tmp_path / "x.exe", tmp_path)


def test_iteration_skips_hidden_and_unsupported_files(tmp_path: Path) -> None:
    for name in ["a.md", "sub/b.html", ".git/c.md", "d.png", "e.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_source_files(tmp_path)]
    assert found == ["a.md", "e.txt", "sub/b.html"]
