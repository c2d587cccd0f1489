"""When did a series leave its baseline? Robust z-scores, onsets, incident start.

Every function works on a (series x time) matrix at once so that hundreds of series
cost a few milliseconds. The baseline is the part of the window before ``baseline_end``;
its median and a robust scale turn values into z-scores, and the onset is where a
sustained departure first reaches a quarter of its own peak.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from analysis.frames import SeriesMatrix, pivot_series

__all__ = [
    "Onset",
    "Scan",
    "detect_onset",
    "incident_start",
    "robust_baseline",
    "scan_matrix",
    "strength_of",
]

ONSET_FRACTION = 0.25  # the onset is where a departure first reaches this share of its peak
Z_FLOOR = 3.0  # |z| below this is ordinary noise (strength 0)
Z_SPREAD = 4.0  # how fast strength saturates above Z_FLOOR (in log |z|)
MIN_BASELINE = 4  # fewest baseline points worth trusting


@dataclass(frozen=True)
class Onset:
    """A departure from baseline: when, from what level, to what peak, how strong."""

    time: pd.Timestamp
    baseline: float
    peak: float
    direction: Literal["up", "down"]
    strength: float


@dataclass(frozen=True)
class Scan:
    """Per-series results of :func:`scan_matrix` (arrays aligned with the series)."""

    median: np.ndarray
    scale: np.ndarray
    z: np.ndarray  # (series, time) z-scores against the baseline
    onset: np.ndarray  # index of the onset, -1 when the series never departed
    peak_z: np.ndarray  # signed sustained peak z after baseline_end
    peak_index: np.ndarray
    strength: np.ndarray  # in [0, 1]


def robust_baseline(values: np.ndarray, end: int, begin: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Median and robust scale of ``values[:, begin:end]`` per series.

    The scale is the largest of 1.4826·MAD, 1.2533·mean absolute deviation from the
    median (catches sparse spikes that leave the MAD at 0) and 1 % of |median|, so a
    flat baseline does not turn every wiggle into an infinite z-score.
    """
    if not 0 <= begin < end:
        raise ValueError(f"baseline needs at least one point, got [{begin}, {end})")
    base = values[:, begin:end]
    median = np.median(base, axis=1)
    deviation = np.abs(base - median[:, None])
    scale = np.maximum(1.4826 * np.median(deviation, axis=1), 1.2533 * deviation.mean(axis=1))
    scale = np.maximum(scale, 0.01 * np.abs(median))
    spread = np.abs(values).max(axis=1)
    return median, np.maximum(scale, np.maximum(1e-3 * spread, 1e-9))


def strength_of(z: np.ndarray) -> np.ndarray:
    """Map |z| to [0, 1]: 0 up to Z_FLOOR, then logarithmically towards 1.

    The log keeps huge departures apart (|z| 5 -> 0.27, 20 -> 0.62, 100 -> 0.82, 1000 -> 0.94).
    """
    excess = np.clip(np.abs(z) - Z_FLOOR, 0.0, None)
    return np.asarray(np.tanh(np.log1p(excess) / Z_SPREAD))


def _sustained(z: np.ndarray) -> np.ndarray:
    """Signed z kept by two consecutive points (single-point spikes are shrunk)."""
    if z.shape[1] < 2:
        return z
    pair = np.minimum(np.abs(z[:, :-1]), np.abs(z[:, 1:]))
    same = np.sign(z[:, :-1]) == np.sign(z[:, 1:])
    kept = np.where(same, pair, 0.0) * np.sign(z[:, :-1])
    return np.concatenate([kept, z[:, -1:] * 0.5], axis=1)


def _onsets(sustained: np.ndarray, peak_z: np.ndarray, offset: int) -> np.ndarray:
    """Index where each series first reached a quarter of its peak departure (and at least
    Z_FLOOR) in the peak's direction, for two points running; -1 when it never departed.

    Tied to the departure's own size, so a slow drift before a sharp step does not pull
    the onset back to the end of the baseline (a CUSUM on drifting data does).
    """
    threshold = np.maximum(Z_FLOOR, ONSET_FRACTION * np.abs(peak_z))
    hit = sustained * np.sign(peak_z)[:, None] >= threshold[:, None]
    departed = hit.any(axis=1) & (np.abs(peak_z) >= Z_FLOOR)
    return np.where(departed, np.argmax(hit, axis=1) + offset, -1)


def scan_matrix(
    values: np.ndarray, baseline_end: int, stop: int | None = None, baseline_begin: int = 0
) -> Scan:
    """Score every series after ``baseline_end`` (and before ``stop``) against the
    baseline ``[baseline_begin, baseline_end)``."""
    length = values.shape[1]
    stop = length if stop is None else min(stop, length)
    if not 1 <= baseline_end < stop:
        raise ValueError(f"baseline_end must lie in [1, {stop}), got {baseline_end}")
    median, scale = robust_baseline(values, baseline_end, baseline_begin)
    z = (values[:, :stop] - median[:, None]) / scale[:, None]
    sustained = _sustained(z[:, baseline_end:])
    peak_index = np.argmax(np.abs(sustained), axis=1)
    peak_z = sustained[np.arange(len(values)), peak_index]
    return Scan(
        median=median,
        scale=scale,
        z=z,
        onset=_onsets(sustained, peak_z, baseline_end),
        peak_z=peak_z,
        peak_index=peak_index + baseline_end,
        strength=strength_of(peak_z),
    )


def _baseline_end(length: int, fraction: float) -> int:
    return max(MIN_BASELINE, min(length - 1, int(round(length * fraction))))


def detect_onset(
    times: Sequence[pd.Timestamp] | pd.DatetimeIndex,
    values: Sequence[float] | np.ndarray,
    baseline_end: pd.Timestamp | None = None,
    baseline_fraction: float = 1 / 3,
) -> Onset | None:
    """Onset of one series, or None when it never left its baseline.

    The baseline is everything before ``baseline_end`` (default: the first
    ``baseline_fraction`` of the points).
    """
    index = pd.DatetimeIndex(times)
    series = np.asarray(values, dtype=float)
    if len(index) != len(series):
        raise ValueError(f"{len(index)} times but {len(series)} values")
    if len(series) < MIN_BASELINE + 2 or not np.isfinite(series).all():
        raise ValueError(f"need at least {MIN_BASELINE + 2} finite values")
    end = (
        _baseline_end(len(series), baseline_fraction)
        if baseline_end is None
        else int(index.searchsorted(baseline_end))
    )
    scan = scan_matrix(series[None, :], end)
    if scan.onset[0] < 0 or scan.strength[0] <= 0.0:
        return None
    peak = series[scan.peak_index[0]]
    return Onset(
        time=index[scan.onset[0]],
        baseline=float(scan.median[0]),
        peak=float(peak),
        direction="up" if scan.peak_z[0] > 0 else "down",
        strength=float(scan.strength[0]),
    )


def incident_start(
    frame: pd.DataFrame,
    baseline_fraction: float = 1 / 3,
    min_strength: float = 0.3,
    cluster: int = 2,
) -> pd.Timestamp | None:
    """Estimate when the incident began from all series of a tidy frame.

    Onsets of strongly anomalous series are collected; the start is the earliest onset
    that at least a quarter of them (and never fewer than two, unless only one series
    is anomalous) join within ``cluster`` grid steps. None when nothing is anomalous.
    """
    matrix = pivot_series(frame)
    if len(matrix.times) < MIN_BASELINE + 2:
        raise ValueError(f"need at least {MIN_BASELINE + 2} timestamps to find an onset")
    start = onset_cluster(matrix, baseline_fraction, min_strength, cluster)
    return None if start is None else matrix.times[start]


def onset_cluster(
    matrix: SeriesMatrix, baseline_fraction: float, min_strength: float, cluster: int
) -> int | None:
    """Grid index of the earliest robust cluster of onsets (see :func:`incident_start`)."""
    scan = scan_matrix(matrix.values, _baseline_end(len(matrix.times), baseline_fraction))
    onsets = np.sort(scan.onset[(scan.onset >= 0) & (scan.strength >= min_strength)])
    if onsets.size == 0:
        return None
    needed = max(min(2, onsets.size), int(np.ceil(onsets.size / 4)))
    joined = np.searchsorted(onsets, onsets + cluster, side="right") - np.arange(onsets.size)
    enough = np.flatnonzero(joined >= needed)
    first = int(enough[0]) if enough.size else int(np.argmax(joined))
    return int(onsets[first])
