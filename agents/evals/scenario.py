"""Eval scenarios, one folder each (HolmesGPT-style): ``case.yaml`` and ``script.yaml``.

``case.yaml``: ``kind`` (rca | fix | research | grounded), the input (``question``,
``evidence``, ``diagnosis`` + ``namespace`` + ``deployment``, ``use_web``, ``passages``),
``tools`` (recorded outputs per backend method, see ``RecordedBackend``) and ``expect``.
``script.yaml``: the replies a scripted model gives (``--scripted``), each
``{tool: name, args: {...}}``, ``{text: "..."}`` or ``{json: {...}}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

__all__ = ["Scenario", "Expectation", "load_scenarios", "DEFAULT_SCENARIOS"]

DEFAULT_SCENARIOS = Path(__file__).resolve().parents[2] / "tests" / "agents" / "scenarios"
Kind = Literal["rca", "fix", "research", "grounded"]
_EXPECT = {"facts", "tools", "fix_ops", "no_plan", "refused", "citations", "forbidden", "sources"}


@dataclass(frozen=True)
class Expectation:
    facts: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    fix_ops: tuple[str, ...] = ()
    no_plan: bool = False
    refused: bool | None = None
    citations: tuple[int, ...] = ()
    forbidden: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    name: str
    kind: Kind
    inputs: dict[str, Any]
    tools: dict[str, Any]
    expect: Expectation
    script: list[dict[str, Any]] = field(default_factory=list)


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def _scenario(folder: Path) -> Scenario:
    case = _read(folder / "case.yaml")
    if not isinstance(case, dict):
        raise ValueError(f"{folder.name}: case.yaml must hold a mapping")
    kind = case.get("kind")
    if kind not in ("rca", "fix", "research", "grounded"):
        raise ValueError(f"{folder.name}: kind must be rca, fix, research or grounded")
    expect = case.get("expect") or {}
    unknown = sorted(set(expect) - _EXPECT)
    if unknown:
        raise ValueError(f"{folder.name}: unknown expect field(s) {', '.join(unknown)}")
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in expect.items()}
    inputs = {k: v for k, v in case.items() if k not in ("kind", "tools", "expect")}
    return Scenario(
        folder.name,
        kind,
        inputs,
        dict(case.get("tools") or {}),
        Expectation(**fields),
        list(_read(folder / "script.yaml") or []),
    )


def load_scenarios(root: Path = DEFAULT_SCENARIOS) -> list[Scenario]:
    """Every sub-folder of ``root`` holding a case.yaml, by name."""
    folders = sorted(p for p in root.iterdir() if (p / "case.yaml").is_file())
    if not folders:
        raise ValueError(f"no scenarios (folders with case.yaml) under {root}")
    return [_scenario(folder) for folder in folders]
