"""The house's layering, checked on the source (docs/architecture.md draws it).

Low to high: ``messages`` (the catalogue, a leaf) and ``config``; ``analysis``,
``cluster``, ``knowledge``; ``agents``; the ``bot`` runtime (router, messenger, cards,
state, transports, texts); ``skills``; the composition root (``bot.app`` and the
``cloudops`` command in ``bot.cli``), the one place that imports skills; ``sandbox``, the
simulated world, which composes the real bot with fake surroundings and which no product
package imports.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture.imports import ImportGraph, cycles, imported_names, read_graph

REPO = Path(__file__).resolve().parents[2]
PRODUCT = ("messages", "config", "analysis", "cluster", "knowledge", "agents", "bot", "skills")
PACKAGES = (*PRODUCT, "sandbox")
ROOT = ("bot.app", "bot.cli", "bot.__main__")  # the composition root and the command line
BELOW_SKILLS = ("messages", "config", "analysis", "cluster", "knowledge", "agents")
# What skills must reach only through their context (ctx.services / ctx.messenger).
NOT_FOR_SKILLS = ("bot.app", "bot.cli", "bot.router", "bot.scheduler", "lark_oapi")


def _in(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def layer(module: str) -> str:
    """The node a module belongs to in the package graph: its top-level package, except
    the composition root, which stands above skills."""
    return "root" if _in(module, ROOT) else module.split(".")[0]


@pytest.fixture(scope="module")
def graph() -> ImportGraph:
    return read_graph(REPO, PACKAGES)


def _package_edges(graph: ImportGraph) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for a, targets in graph.edges.items():
        for b in targets:
            if layer(a) != layer(b):
                edges.setdefault(layer(a), set()).add(layer(b))
    return edges


def test_no_import_cycle_between_modules(graph: ImportGraph) -> None:
    assert cycles(graph.edges) == []


def test_no_import_cycle_between_packages(graph: ImportGraph) -> None:
    assert cycles(_package_edges(graph)) == []


def test_no_product_package_imports_the_sandbox(graph: ImportGraph) -> None:
    offenders = [(a, b) for a, b in graph.importers_of("sandbox") if not _in(a, ("sandbox",))]
    assert offenders == []


def test_nothing_below_skills_imports_bot_or_skills(graph: ImportGraph) -> None:
    offenders = [
        (a, b)
        for a, targets in graph.edges.items()
        for b in targets
        if _in(a, BELOW_SKILLS) and _in(b, ("bot", "skills", "sandbox"))
    ]
    assert offenders == []


def test_the_catalogue_is_a_leaf(graph: ImportGraph) -> None:
    assert [(a, b) for a, b in graph.edges.items() if _in(a, ("messages",)) and b] == []


def test_only_the_root_imports_skills(graph: ImportGraph) -> None:
    offenders = [
        (a, b) for a, b in graph.importers_of("skills") if not _in(a, ("skills", *ROOT, "sandbox"))
    ]
    assert offenders == []


def test_skills_reach_the_runtime_only_through_their_context() -> None:
    offenders = []
    for path in sorted((REPO / "skills").rglob("*.py")):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        offenders += [
            (module, name) for name in imported_names(module, path) if _in(name, NOT_FOR_SKILLS)
        ]
    assert offenders == []


def test_no_skill_is_used_as_a_library_by_another(graph: ImportGraph) -> None:
    """A skill module (one with ``register(registry)``) is imported only by the registry
    builder in ``skills/__init__.py`` and the root; what two skills share lives in a
    module of its own."""
    skills = {m for m in graph.modules if _in(m, ("skills",)) and "def register(" in _source(m)}
    offenders = [
        (a, b)
        for a, targets in graph.edges.items()
        for b in targets
        if b in skills
        and a != "skills"
        and not b.startswith(a + ".")  # a skill package's __init__ exporting its register
        and not _in(a, (*ROOT, "sandbox"))
    ]
    assert offenders == []


def _source(module: str) -> str:
    path = REPO / Path(*module.split("."))
    file = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    return file.read_text(encoding="utf-8")


# The checker itself must be able to fail.


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_checker_sees_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "a/__init__.py": "",
            "a/one.py": "from a.two import thing\n",
            "a/two.py": "def f():\n    from a import one\n",
            "b/__init__.py": "",
            "b/x.py": "import a.one\n",
        },
    )
    graph = read_graph(tmp_path, ("a", "b"))
    assert cycles(graph.edges) == [["a.one", "a.two"]]
    assert graph.importers_of("a") == [
        ("a.one", "a.two"),
        ("a.two", "a"),
        ("a.two", "a.one"),
        ("b.x", "a.one"),
    ]


def test_the_checker_resolves_relative_and_type_checking_imports(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "p/__init__.py": "from . import q\n",
            "p/q.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .r import R\n",
            "p/r.py": "from ..p import q\n",
        },
    )
    graph = read_graph(tmp_path, ("p",))
    assert graph.edges["p.q"] == {"p.r"}
    assert graph.edges["p.r"] == {"p", "p.q"}
    assert cycles(graph.edges) == [["p", "p.q", "p.r"]]
