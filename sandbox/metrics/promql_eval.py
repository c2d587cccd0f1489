"""Evaluate the PromQL subset of ``promql_parse`` over in-memory series at many steps at
once (vectorised per series): the sandbox's stand-in when no Prometheus is installed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from sandbox.metrics.promql_parse import Binary, Call, Node, Number, Selector, Sum, parse

__all__ = ["SeriesStore", "StoredSeries", "Vector", "evaluate", "LOOKBACK_SECONDS"]

LOOKBACK_SECONDS = 300.0
Labels = tuple[tuple[str, str], ...]
Vector = dict[Labels, np.ndarray]  # label set -> value per step (NaN: no sample)


@dataclass(frozen=True)
class StoredSeries:
    labels: Mapping[str, str]  # including __name__
    timestamps: np.ndarray
    values: np.ndarray


class SeriesStore:
    def __init__(self, series: Iterable[StoredSeries]) -> None:
        self.by_name: dict[str, list[StoredSeries]] = {}
        for item in series:
            self.by_name.setdefault(item.labels["__name__"], []).append(item)

    def select(self, selector: Selector) -> list[StoredSeries]:
        found = self.by_name.get(selector.name, []) if selector.name else self._all()
        return [s for s in found if all(_matches(s.labels, m) for m in selector.matchers)]

    def _all(self) -> list[StoredSeries]:
        return [s for group in self.by_name.values() for s in group]


def _matches(labels: Mapping[str, str], matcher: tuple[str, str, str]) -> bool:
    label, op, wanted = matcher
    value = labels.get(label, "")
    if op in ("=", "!="):
        return (value == wanted) == (op == "=")
    return (re.fullmatch(wanted, value) is not None) == (op == "=~")


def _key(labels: Mapping[str, str], drop: Iterable[str] = ("__name__",)) -> Labels:
    dropped = set(drop)
    return tuple(sorted((k, v) for k, v in labels.items() if k not in dropped))


def _instant(series: StoredSeries, steps: np.ndarray) -> np.ndarray:
    index = np.searchsorted(series.timestamps, steps, side="right") - 1
    safe = np.clip(index, 0, len(series.timestamps) - 1)
    fresh = (index >= 0) & (steps - series.timestamps[safe] <= LOOKBACK_SECONDS)
    return np.where(fresh, series.values[safe], np.nan)


def _rate(series: StoredSeries, steps: np.ndarray, window: float) -> np.ndarray:
    values = series.values.astype(float)
    drops = np.concatenate([[0.0], np.where(np.diff(values) < 0, values[:-1], 0.0)])
    values = values + np.cumsum(drops)  # counter resets
    stamps = series.timestamps
    first = np.searchsorted(stamps, steps - window, side="right")
    last = np.searchsorted(stamps, steps, side="right") - 1
    usable = last - first >= 1
    lo, hi = np.clip(first, 0, len(stamps) - 1), np.clip(last, 0, len(stamps) - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (values[hi] - values[lo]) / (stamps[hi] - stamps[lo])
    return np.where(usable, rate, np.nan)


def _sum(vector: Vector, by: tuple[str, ...] | None) -> Vector:
    groups: dict[Labels, list[np.ndarray]] = {}
    for labels, values in vector.items():
        kept = tuple((k, v) for k, v in labels if by is not None and k in by)
        groups.setdefault(kept, []).append(values)
    out: Vector = {}
    for labels, members in groups.items():
        stacked = np.vstack(members)
        empty = np.all(np.isnan(stacked), axis=0)
        out[labels] = np.where(empty, np.nan, np.nansum(stacked, axis=0))
    return out


def _divide(left: Vector, right: Vector) -> Vector:
    with np.errstate(divide="ignore", invalid="ignore"):
        return {k: v / right[k] for k, v in left.items() if k in right}


def _quantile(q: float, vector: Vector) -> Vector:
    groups: dict[Labels, list[tuple[float, np.ndarray]]] = {}
    for labels, values in vector.items():
        bounds = dict(labels)
        if "le" in bounds:
            rest = tuple((k, v) for k, v in labels if k != "le")
            groups.setdefault(rest, []).append((float(bounds["le"]), values))
    out: Vector = {}
    for labels, buckets in groups.items():
        buckets.sort(key=lambda b: b[0])
        bounds_array = np.array([b[0] for b in buckets])
        counts = np.vstack([b[1] for b in buckets])
        out[labels] = np.array(
            [_bucket_quantile(q, bounds_array, counts[:, i]) for i in range(counts.shape[1])]
        )
    return out


def _bucket_quantile(q: float, bounds: np.ndarray, counts: np.ndarray) -> float:
    if np.isnan(counts).any() or not np.isposinf(bounds[-1]) or counts[-1] <= 0:
        return float("nan")
    counts = np.maximum.accumulate(counts)  # rates of cumulative buckets can jitter
    rank = q * counts[-1]
    i = int(np.searchsorted(counts, rank, side="left"))
    if i >= len(bounds) - 1:
        return float(bounds[-2]) if len(bounds) > 1 else float("nan")
    lower = bounds[i - 1] if i > 0 else 0.0
    below = counts[i - 1] if i > 0 else 0.0
    if counts[i] == below:
        return float(bounds[i])
    return float(lower + (bounds[i] - lower) * (rank - below) / (counts[i] - below))


def evaluate(node: Node | str, store: SeriesStore, steps: np.ndarray) -> Vector | float:
    """The value of ``node`` at every step: a vector, or a float for a number literal."""
    if isinstance(node, str):
        node = parse(node)
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Selector):
        if node.range_seconds is not None:
            raise ValueError("a range selector needs rate() or increase()")
        return {_key(s.labels, ()): _instant(s, steps) for s in store.select(node)}
    if isinstance(node, Sum):
        return _sum(_vector(node.expr, store, steps), node.by)
    if isinstance(node, Binary):
        left, right = _vector(node.left, store, steps), _vector(node.right, store, steps)
        if node.op == "/":
            return _divide(left, right)
        return {**{k: v for k, v in right.items() if k not in left}, **left}
    return _call(node, store, steps)


def _vector(node: Node, store: SeriesStore, steps: np.ndarray) -> Vector:
    value = evaluate(node, store, steps)
    if not isinstance(value, dict):
        raise ValueError("expected a vector expression, got a number")
    return value


def _call(node: Call, store: SeriesStore, steps: np.ndarray) -> Vector:
    args = node.args
    if node.function == "vector" and len(args) == 1 and isinstance(args[0], Number):
        return {(): np.full(len(steps), args[0].value)}
    if node.function in ("rate", "increase") and len(args) == 1:
        selector = args[0]
        if not isinstance(selector, Selector) or selector.range_seconds is None:
            raise ValueError(f"{node.function}() needs a range selector")
        window = selector.range_seconds
        scale = window if node.function == "increase" else 1.0
        return {_key(s.labels): _rate(s, steps, window) * scale for s in store.select(selector)}
    if node.function == "histogram_quantile" and len(args) == 2:
        q = evaluate(args[0], store, steps)
        if not isinstance(q, float):
            raise ValueError("histogram_quantile() needs a number first")
        return _quantile(q, _vector(args[1], store, steps))
    raise ValueError(f"unsupported call {node.function}() with {len(args)} arguments")
