"""Fixtures for the deployment artefact tests: kubectl, rendered kustomize output.

Tests reach everything here through fixtures (the suite runs with --import-mode=importlib,
so test modules cannot import this file).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
KUBE_DIR = REPO_ROOT / "deploy" / "kubernetes"
OVERLAYS = ("webhook", "longconn", "single", "scale-out")
FIX_ACCESS_EXAMPLE = KUBE_DIR / "fixes" / "example-app"
K8S_VERSION = "1.30"


@dataclass(frozen=True)
class Manifests:
    """The objects of one `kubectl kustomize` run."""

    objects: tuple[dict[str, Any], ...]

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [obj for obj in self.objects if obj["kind"] == kind]

    def one(self, kind: str, name: str | None = None) -> dict[str, Any]:
        found = [
            obj for obj in self.of_kind(kind) if name is None or obj["metadata"]["name"] == name
        ]
        assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
        return found[0]


def _kubectl() -> str:
    path = shutil.which("kubectl")
    if path is None:
        pytest.fail("kubectl is not on PATH: the deploy tests render kustomize with it")
    out = subprocess.run(
        [path, "version", "--client", "-o", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    if "kustomizeVersion" not in json.loads(out.stdout):
        pytest.fail(f"{path} has no built-in kustomize >= v4 (needs kubectl >= 1.24)")
    return path


def kustomize(kubectl: str, directory: Path) -> Manifests:
    done = subprocess.run(
        [kubectl, "kustomize", str(directory)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"kubectl kustomize {directory} failed: {done.stderr}"
    return Manifests(tuple(obj for obj in yaml.safe_load_all(done.stdout) if obj))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Any test that asks for `overlay` runs once per overlay."""
    if "overlay" in metafunc.fixturenames:
        metafunc.parametrize("overlay", OVERLAYS)


@pytest.fixture(scope="session")
def overlay_names() -> tuple[str, ...]:
    return OVERLAYS


@pytest.fixture(scope="session")
def render(kubectl: str) -> Callable[[Path], Manifests]:
    """`kubectl kustomize <dir>` as a function."""
    return lambda directory: kustomize(kubectl, directory)


@pytest.fixture(scope="session")
def kubectl() -> str:
    return _kubectl()


@pytest.fixture(scope="session")
def rendered(kubectl: str) -> dict[str, Manifests]:
    """Every overlay, rendered once per session."""
    return {name: kustomize(kubectl, KUBE_DIR / "overlays" / name) for name in OVERLAYS}


@pytest.fixture(scope="session")
def fix_access(kubectl: str) -> Manifests:
    return kustomize(kubectl, FIX_ACCESS_EXAMPLE)


@pytest.fixture(scope="session")
def example_secret() -> dict[str, Any]:
    path = KUBE_DIR / "examples" / "cloudops-secrets.example.yaml"
    secret: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return secret
