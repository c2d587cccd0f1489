"""The catalogue of signals: named PromQL templates, per pod or per service.

A template may use ``{service}``, ``{namespace}``, ``{window}`` (the rate window, e.g.
``2m``) and ``{pods}`` (the pod matcher, ``namespace="ns", pod=~"regex"``); every other
brace is PromQL. The default catalogue lives in ``analysis/signals.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import yaml

from analysis.prometheus.step import parse_duration

__all__ = ["DEFAULT_CATALOGUE_PATH", "Catalogue", "Scope", "Signal", "load_catalogue"]

DEFAULT_CATALOGUE_PATH = Path(__file__).resolve().parents[1] / "signals.yaml"

Scope = Literal["pod", "service", "edge"]
SCOPES = ("pod", "service", "edge")


@dataclass(frozen=True)
class Signal:
    """One metric: ``scope`` "pod" gives one series per pod label, "service" one series,
    "edge" one series per call edge (``caller_label`` -> ``callee_label``, Istio's
    workload labels by default; see ``analysis.calls``)."""

    name: str
    query: str
    scope: Scope = "pod"
    caller_label: str = "source_workload"
    callee_label: str = "destination_workload"

    def __post_init__(self) -> None:
        if not self.name or not self.name.replace("_", "").isalnum():
            raise ValueError(f"signal name must be letters, digits and '_', got {self.name!r}")
        if self.scope not in SCOPES:
            raise ValueError(f"signal {self.name!r}: scope must be one of {', '.join(SCOPES)}")
        if not self.query.strip():
            raise ValueError(f"signal {self.name!r} has an empty query")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Signal:
        unknown = set(data) - {"name", "query", "scope", "caller_label", "callee_label"}
        if unknown:
            raise ValueError(f"unknown signal key(s): {', '.join(sorted(unknown))}")
        if "name" not in data or "query" not in data:
            raise ValueError(f"a signal needs 'name' and 'query', got {sorted(data)}")
        labels = {key: str(data[key]) for key in ("caller_label", "callee_label") if key in data}
        return cls(str(data["name"]), str(data["query"]), data.get("scope", "pod"), **labels)


@dataclass(frozen=True)
class Catalogue:
    """Signals in query order, and the shortest rate window."""

    signals: tuple[Signal, ...]
    rate_window: timedelta = timedelta(minutes=2)

    def __post_init__(self) -> None:
        names = [signal.name for signal in self.signals]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"duplicate signal name(s): {', '.join(duplicates)}")

    def extended(self, signals: Iterable[Signal | Mapping[str, Any]]) -> Catalogue:
        """A catalogue with more signals; a signal with an existing name replaces it."""
        extra = [_signal(item) for item in signals]
        names = {signal.name for signal in extra}
        kept = tuple(signal for signal in self.signals if signal.name not in names)
        return replace(self, signals=kept + tuple(extra))

    def only(self, *names: str) -> Catalogue:
        """A catalogue restricted to the named signals (unknown names raise)."""
        known = {signal.name for signal in self.signals}
        missing = sorted(set(names) - known)
        if missing:
            raise ValueError(f"unknown signal(s): {', '.join(missing)}")
        return replace(self, signals=tuple(s for s in self.signals if s.name in names))


def _signal(item: Signal | Mapping[str, Any]) -> Signal:
    return item if isinstance(item, Signal) else Signal.from_mapping(item)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read a catalogue YAML file (default: ``analysis/signals.yaml``)."""
    source = Path(path) if path is not None else DEFAULT_CATALOGUE_PATH
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("signals"), list):
        raise ValueError(f"{source}: expected a mapping with a 'signals' list")
    window = parse_duration(str(data.get("rate_window", "2m")))
    return Catalogue(tuple(_signal(item) for item in data["signals"]), window)
