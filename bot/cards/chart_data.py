"""Chart points for cards: a fixed number of points per series that keeps the extremes.

Time is cut into at most ``max_points`` equal buckets shared by every series; in each
bucket a series keeps the sample furthest from its median, so a spike survives however
long the window. Buckets are labelled by their first sample's time in the configured
timezone, with the coarsest format that keeps every label distinct ("20:01", else
"20:01:15"; the date is added when the window spans days).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["MAX_POINTS", "Bucketed", "bucket_series"]

MAX_POINTS = 40
_FORMATS = ("%H:%M", "%H:%M:%S")


@dataclass(frozen=True)
class Bucketed:
    labels: list[str]  # one per bucket, distinct
    starts: np.ndarray  # epoch seconds of each bucket's first sample
    values: dict[str, list[float | None]]  # per series, one value (or None) per bucket

    def label_at(self, epoch: float) -> str | None:
        """The label of the bucket holding ``epoch`` (None outside the data)."""
        if not len(self.starts) or epoch < self.starts[0] - 1e-9:
            return None
        return self.labels[int(np.searchsorted(self.starts, epoch, side="right")) - 1]


def _labels(starts: np.ndarray, tz: ZoneInfo) -> list[str]:
    moments = [datetime.fromtimestamp(float(s), UTC).astimezone(tz) for s in starts]
    days = {m.date() for m in moments}
    for fmt in _FORMATS:
        full = f"%m-%d {fmt}" if len(days) > 1 else fmt
        labels = [m.strftime(full) for m in moments]
        if len(set(labels)) == len(labels):
            return labels
    return [m.strftime("%m-%d %H:%M:%S.%f")[:-3] for m in moments]


def bucket_series(
    series: Mapping[str, tuple[ArrayLike, ArrayLike]],
    timezone: str = "UTC",
    max_points: int = MAX_POINTS,
) -> Bucketed:
    """``series`` maps a name to (epoch seconds, values)."""
    arrays = {
        name: (np.asarray(times, dtype=float), np.asarray(values, dtype=float))
        for name, (times, values) in series.items()
    }
    distinct = np.unique(np.concatenate([t for t, _ in arrays.values()] or [np.empty(0)]))
    if not len(distinct):
        return Bucketed([], distinct, {name: [] for name in arrays})
    if len(distinct) <= max_points:
        edges = distinct
    else:
        width = (distinct[-1] - distinct[0]) / max_points
        grid = distinct[0] + width * np.arange(max_points)
        # each bucket starts at its first sample; empty buckets disappear
        firsts = np.searchsorted(distinct, grid, side="left")
        edges = np.unique(distinct[np.minimum(firsts, len(distinct) - 1)])
    values: dict[str, list[float | None]] = {}
    for name, (times, raw) in arrays.items():
        finite = np.isfinite(raw)
        times, raw = times[finite], raw[finite]
        out: list[float | None] = [None] * len(edges)
        if len(raw):
            centre = float(np.median(raw))
            buckets = np.searchsorted(edges, times, side="right") - 1
            for bucket in np.unique(buckets[buckets >= 0]):
                members = raw[buckets == bucket]
                out[int(bucket)] = float(members[np.argmax(np.abs(members - centre))])
        values[name] = out
    return Bucketed(_labels(edges, ZoneInfo(timezone)), edges, values)
