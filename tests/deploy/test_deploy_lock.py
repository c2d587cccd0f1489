"""requirements.lock (runtime, what the image installs) and requirements-test.lock (runtime
plus the test extra): every package pinned with hashes, matching pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _entries(path: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes); fails on any unpinned or hashless entry."""
    entries: dict[str, tuple[str, int]] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = PIN.match(line)
        if match:
            current = match.group(1).lower().replace("_", "-")
            entries[current] = (match.group(3), 0)
        elif stripped.startswith("--hash="):
            assert current is not None and HASH.fullmatch(stripped.rstrip(" \\")), stripped
            version, count = entries[current]
            entries[current] = (version, count + 1)
        else:
            pytest.fail(f"{path.name}: not a pinned requirement: {line!r}")
    return entries


def _pyproject() -> dict[str, object]:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pins(requirements: list[str]) -> dict[str, str]:
    return {_name(r): r.split("==", 1)[1].split(";")[0].strip() for r in requirements}


@pytest.mark.parametrize(
    ("lock", "extras"), [("requirements.lock", ()), ("requirements-test.lock", ("test",))]
)
def test_lock_pins_every_package_with_hashes(lock: str, extras: tuple[str, ...]) -> None:
    entries = _entries(REPO_ROOT / lock)
    assert entries and all(count >= 1 for _, count in entries.values())
    project = _pyproject()["project"]
    wanted = _pins(project["dependencies"])  # type: ignore[index]
    for extra in extras:
        wanted |= _pins(project["optional-dependencies"][extra])  # type: ignore[index]
    for name, version in wanted.items():
        assert name in entries, f"{name} missing from {lock}"
        assert entries[name][0] == version, f"{name}: {entries[name][0]} != {version}"


def test_runtime_lock_holds_no_test_tool() -> None:
    entries = _entries(REPO_ROOT / "requirements.lock")
    assert not {"pytest", "mypy", "ruff", "playwright"} & set(entries)


def test_image_installs_from_the_lock_with_hashes() -> None:
    text = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    runs = [line for line in text.splitlines() if line.startswith("RUN ") and "pip install" in line]
    locked = [r for r in runs if "requirements.lock" in r]
    assert locked and all("--require-hashes" in r for r in locked)
    assert "COPY requirements.lock" in text
    # every other pip install in the image installs our own wheel only, without deps
    for run in runs:
        if run not in locked:
            assert "--no-deps" in run, run
