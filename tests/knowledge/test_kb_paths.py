"""safe_join: a file name from a chat user can never escape the knowledge folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from knowledge.paths import safe_join


def test_plain_and_nested_names_stay_inside(tmp_path: Path) -> None:
    assert safe_join(tmp_path, "runbook.md") == tmp_path.resolve() / "runbook.md"
    assert safe_join(tmp_path, "team/oncall.md") == tmp_path.resolve() / "team" / "oncall.md"


@pytest.mark.parametrize(
    "name",
    [
        "../secret.md",  # plain climb
        "notes/../../secret.md",  # climb hidden behind a folder
        "..",
        "/etc/passwd",  # absolute POSIX
        "C:\\Windows\\win.ini",  # drive letter
        "C:evil.md",  # drive-relative
        "\\\\server\\share\\x.md",  # UNC
        "..\\..\\secret.md",  # Windows separators
        "a\x00.md",  # NUL byte
        "",
        "   ",
    ],
)
def test_escaping_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        safe_join(tmp_path, name)


def test_symlink_pointing_outside_is_refused(tmp_path: Path) -> None:
    root, outside = tmp_path / "kb", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    os.symlink(outside, root / "link")
    with pytest.raises(ValueError, match="outside"):
        safe_join(root, "link/stolen.md")


def test_symlink_inside_the_folder_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "alias")
    assert safe_join(tmp_path, "alias/x.md") == tmp_path.resolve() / "real" / "x.md"
