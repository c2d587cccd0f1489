"""Signals as people read them: a human name in the chat's language and values with units.

Units come from the ``units`` mapping of ``analysis/signals.yaml``; names from the
``cards.metric.<signal>`` catalogue keys. An edge signal such as ``call_ms (a->b)`` keeps
its edge; an unknown signal keeps its own name and a plain number.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import yaml

from messages import catalogue, t

__all__ = ["metric_label", "format_value", "unit_of"]

SIGNALS = Path(__file__).resolve().parents[2] / "analysis" / "signals.yaml"
_BINARY = [("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)]


@cache
def _units() -> dict[str, str]:
    data = yaml.safe_load(SIGNALS.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in (data.get("units") or {}).items()}


def _base(metric: str) -> tuple[str, str]:
    name, sep, rest = metric.partition(" (")
    return name, (sep + rest if sep else "")


def unit_of(metric: str) -> str | None:
    return _units().get(_base(metric)[0])


def metric_label(metric: str, lang: str) -> str:
    """``latency_p99_seconds`` -> "p99 latency" / "p99 延迟" (the edge suffix kept)."""
    name, suffix = _base(metric)
    key = f"cards.metric.{name}"
    return (t(key, lang) if key in catalogue() else name) + suffix


def _number(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def format_value(value: float, metric: str, lang: str) -> str:
    """``value`` of ``metric`` with its unit: 0.5 ratio -> "50%", 3e9 bytes -> "2.79 GiB",
    0.25 seconds -> "250 ms", 1.5 cores -> "1.5 cores" / "1.5 核"."""
    if not math.isfinite(value):
        return "—"
    unit = unit_of(metric)
    if unit == "ratio":
        return f"{_number(value * 100)}%"
    if unit == "percent":
        return f"{_number(value)}%"
    if unit == "bytes":
        for symbol, size in _BINARY:
            if abs(value) >= size:
                return f"{value / size:.3g} {symbol}"
        return f"{_number(value)} B"
    if unit in ("seconds", "ms"):
        seconds = value if unit == "seconds" else value / 1000
        return f"{_number(seconds)} s" if abs(seconds) >= 1 else f"{_number(seconds * 1000)} ms"
    if unit == "cores":
        return t("cards.unit.cores", lang, value=_number(value))
    if unit == "req/s":
        return f"{_number(value)} req/s"
    return _number(value)
