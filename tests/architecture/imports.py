"""The import graph of our packages, read from the source (every import statement, also
those inside functions and under ``TYPE_CHECKING``: a hidden import is still an arrow)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ImportGraph", "read_graph", "cycles", "imported_names"]


@dataclass(frozen=True)
class ImportGraph:
    modules: frozenset[str]
    edges: Mapping[str, frozenset[str]]  # module -> the modules of ours it imports

    def importers_of(self, target: str) -> list[tuple[str, str]]:
        """(importer, imported) pairs where the imported module is ``target`` or inside it."""
        return sorted(
            (a, b)
            for a, bs in self.edges.items()
            for b in bs
            if b == target or b.startswith(target + ".")
        )


def _module_names(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    names: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            names[".".join(parts)] = path
    return names


def imported_names(module: str, path: Path) -> Iterable[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            yield source
            yield from (f"{source}.{alias.name}" for alias in node.names)


def read_graph(root: Path, packages: Iterable[str]) -> ImportGraph:
    names = _module_names(root, packages)

    def ours(name: str) -> str | None:
        while name and name not in names:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, frozenset[str]] = {}
    for module, path in names.items():
        targets = {ours(name) for name in imported_names(module, path)}
        edges[module] = frozenset(t for t in targets if t and t != module)
    return ImportGraph(frozenset(names), edges)


def cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)
