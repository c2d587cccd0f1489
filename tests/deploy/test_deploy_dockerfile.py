"""Static checks of the Dockerfile and .dockerignore, plus what can run here without Docker."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO_ROOT / "Dockerfile"
PINNED_BASE = re.compile(r"^python:3\.11\.\d+-slim-bookworm@sha256:[0-9a-f]{64}$")
SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|API_KEY|ENCRYPT_KEY|_KEY\b", re.IGNORECASE)


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str


def instructions(text: str) -> list[Instruction]:
    """Logical instructions: comments dropped, backslash continuations joined."""
    found: list[Instruction] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#") or (not line and not current):
            continue
        if line.endswith("\\"):
            current += line[:-1].rstrip() + " "
            continue
        current += line
        keyword, _, args = current.partition(" ")
        found.append(Instruction(keyword.upper(), args.strip()))
        current = ""
    if current:
        raise ValueError(f"Dockerfile ends inside a continued line: {current[:40]!r}")
    return found


def stages(found: list[Instruction]) -> list[list[Instruction]]:
    """Instructions grouped by stage; each group starts with its FROM."""
    groups: list[list[Instruction]] = []
    for instruction in found:
        if instruction.keyword == "FROM":
            groups.append([])
        if groups:
            groups[-1].append(instruction)
    return groups


def _matches(pattern: str, path: str) -> bool:
    candidates = [pattern, pattern[3:]] if pattern.startswith("**/") else [pattern]
    parts = PurePosixPath(path).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatchcase(p, c) for c in candidates for p in prefixes)


def ignored(patterns: list[str], path: str) -> bool:
    """Whether Docker leaves `path` (relative to the context) out; the last match wins."""
    verdict = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        if _matches(pattern.lstrip("!").strip("/"), path):
            verdict = not negated
    return verdict


@pytest.fixture(scope="module")
def parsed() -> list[Instruction]:
    return instructions(DOCKERFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pyproject() -> dict[str, object]:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def ignore_patterns() -> list[str]:
    lines = (REPO_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _arg_defaults(parsed: list[Instruction]) -> dict[str, str]:
    pairs = (i.args.partition("=") for i in parsed if i.keyword == "ARG")
    return {name: value for name, _, value in pairs}


def _env_names(instruction: Instruction) -> list[str]:
    return re.findall(r"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=", instruction.args)


def _final(parsed: list[Instruction]) -> list[Instruction]:
    return stages(parsed)[-1]


def _args(found: list[Instruction], keyword: str) -> list[str]:
    return [i.args for i in found if i.keyword == keyword]


def test_multi_stage_from_a_pinned_base(parsed: list[Instruction]) -> None:
    groups = stages(parsed)
    assert len(groups) >= 2
    defaults = _arg_defaults(parsed)
    names: set[str] = set()
    for group in groups:
        image, _, alias = group[0].args.partition(" AS ")
        image = re.sub(r"^\$\{(\w+)\}$", lambda m: defaults[m.group(1)], image.strip())
        assert PINNED_BASE.match(image) or image in names, image
        names.add(alias.strip())
    builder = groups[0][0].args.partition(" AS ")[2].strip()
    assert any(f"--from={builder}" in copy for copy in _args(_final(parsed), "COPY"))
    assert not any(" . " in f" {c} " for c in _args(_final(parsed), "COPY")), (
        "runtime copies source"
    )


def test_runtime_user_is_not_root(parsed: list[Instruction]) -> None:
    users = _args(_final(parsed), "USER")
    assert users, "runtime stage has no USER"
    user, _, group = users[-1].partition(":")
    assert user == "10001" and group in ("", "10001")
    after_user = _final(parsed)[[i.keyword for i in _final(parsed)].index("USER") :]
    assert "RUN" not in {i.keyword for i in after_user}


def test_no_secret_defaults_are_baked_in(parsed: list[Instruction]) -> None:
    for instruction in parsed:
        if instruction.keyword == "ENV":
            assert not [n for n in _env_names(instruction) if SECRET_NAME.search(n)]
        if instruction.keyword == "ARG":
            assert not SECRET_NAME.search(instruction.args.partition("=")[0])
    assert not [i for i in parsed if i.keyword == "ADD"]


def test_serves_on_8080_with_a_data_volume(parsed: list[Instruction], pyproject: dict) -> None:
    final = _final(parsed)
    assert _args(final, "EXPOSE") == ["8080"]
    assert json.loads(_args(final, "VOLUME")[-1]) == ["/var/lib/cloudops"]
    entrypoint = json.loads(_args(final, "ENTRYPOINT")[-1])
    assert entrypoint == ["cloudops"] and "cloudops" in pyproject["project"]["scripts"]
    assert json.loads(_args(final, "CMD")[-1]) == ["serve", "--host", "0.0.0.0", "--port", "8080"]
    env = " ".join(_args(final, "ENV"))
    assert "PYTHONDONTWRITEBYTECODE=1" in env and "CLOUDOPS_DATA_DIR=/var/lib/cloudops" in env


def _healthcheck_command(parsed: list[Instruction]) -> list[str]:
    [check] = _args(_final(parsed), "HEALTHCHECK")
    command: list[str] = json.loads(check[check.index("CMD ") + 4 :])
    return command


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_healthcheck_command_runs_without_curl(
    parsed: list[Instruction], health_server: ThreadingHTTPServer, status: int, healthy: bool
) -> None:
    command = _healthcheck_command(parsed)
    assert command[0] == "python" and not {"curl", "wget"} & set(" ".join(command).split())
    port = health_server.server_address[1]
    script = command[-1].replace("127.0.0.1:8080/", f"127.0.0.1:{port}/")
    assert script != command[-1], "health check does not target 127.0.0.1:8080"
    _Health.status = status
    done = subprocess.run([sys.executable, *command[1:-1], script], capture_output=True, timeout=30)
    assert (done.returncode == 0) is healthy


def test_dockerignore_keeps_secrets_and_clutter_out(ignore_patterns: list[str]) -> None:
    for path in (
        ".env",
        ".env.local",
        ".git/config",
        ".venv/bin/python",
        "var/cloudops.db",
        "bot/__pycache__/x.pyc",
        ".pytest_cache/v",
        ".mypy_cache/x",
        "tests/test_x.py",
    ):
        assert ignored(ignore_patterns, path), path


def test_docker_context_builds_the_wheel(
    ignore_patterns: list[str], pyproject: dict, tmp_path: Path
) -> None:
    """Copy what Docker would send, then build the wheel the way the builder stage does."""
    context = tmp_path / "context"
    for folder, dirs, files in os.walk(REPO_ROOT):
        base = Path(folder).relative_to(REPO_ROOT)
        dirs[:] = [d for d in dirs if not ignored(ignore_patterns, (base / d).as_posix())]
        for name in files:
            relative = (base / name).as_posix()
            if not ignored(ignore_patterns, relative):
                (context / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO_ROOT / relative, context / relative)
    assert (context / "pyproject.toml").is_file()
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps",
         "--wheel-dir", str(tmp_path / "wheels"), str(context)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    [wheel] = (tmp_path / "wheels").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    packages = [
        p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    ]
    for package in packages:
        assert f"{package}/__init__.py" in names, package
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    script = pyproject["project"]["scripts"]["cloudops"]
    assert f"cloudops = {script}" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_parser_joins_continuations_and_splits_stages() -> None:
    found = instructions("# c\nFROM a AS b\nRUN x \\\n  # inner\n  && y\nFROM b\nUSER 1\n")
    assert [i.keyword for i in found] == ["FROM", "RUN", "FROM", "USER"]
    assert found[1].args == "x && y"
    assert [len(group) for group in stages(found)] == [2, 2]


def test_ignore_rules_follow_docker_semantics() -> None:
    patterns = ["**/__pycache__", "var", "*.md", "!README.md"]
    assert ignored(patterns, "__pycache__/a.pyc") and ignored(patterns, "bot/__pycache__/a")
    assert ignored(patterns, "var/x/y.db") and ignored(patterns, "NOTES.md")
    assert not ignored(patterns, "README.md") and not ignored(patterns, "bot/var.py")
