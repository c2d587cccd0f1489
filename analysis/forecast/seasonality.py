"""Seasonal period detection from the autocorrelation function.

With timestamps, the calendar candidates (one day, one week in steps) are tested;
without them, the fundamental period is the highest autocorrelation peak after the
first zero crossing. A weekly period (seven primary cycles) is added when the history
holds at least two weeks and the weekly lag correlates better than the daily one.
"""

from __future__ import annotations

import numpy as np

__all__ = ["autocorrelation", "detect_periods", "detect_season", "step_seconds"]

MIN_ACF = 0.3
WEEKLY_MARGIN = 0.02
PEAK_SHARE = 0.7
DAY_SECONDS = 86_400.0


def autocorrelation(values: np.ndarray, max_lag: int) -> np.ndarray:
    """ACF of the linearly detrended series for lags 0..max_lag.

    Computed by FFT; each lag is divided by its number of pairs (the unbiased form),
    so a weekly lag is not penalised against a daily one for having fewer pairs.
    """
    x = np.asarray(values, dtype=float)
    n = x.size
    if n < 3:
        raise ValueError(f"autocorrelation needs at least 3 values, got {n}")
    t = np.arange(n, dtype=float)
    slope, intercept = np.polyfit(t, x, 1)
    x = x - (slope * t + intercept)
    denom = float(np.dot(x, x))
    max_lag = min(max_lag, n - 1)
    if denom <= 0.0:
        return np.zeros(max_lag + 1)
    size = 1 << int(np.ceil(np.log2(2 * n)))
    spec = np.fft.rfft(x, size)
    acf = np.fft.irfft(spec * np.conj(spec), size)[: max_lag + 1] / denom
    pairs = (n - np.arange(max_lag + 1)) / n
    return np.asarray(acf / pairs, dtype=float)


def step_seconds(timestamps: np.ndarray) -> float:
    """Median spacing of timestamps given as Unix seconds or datetime64."""
    ts = np.asarray(timestamps)
    if np.issubdtype(ts.dtype, np.datetime64):
        ts = ts.astype("datetime64[ns]").astype(np.int64) / 1e9
    diffs = np.diff(np.asarray(ts, dtype=float))
    if diffs.size == 0 or not np.median(diffs) > 0:
        raise ValueError("timestamps must be increasing with at least two distinct values")
    return float(np.median(diffs))


def _peak_period(acf: np.ndarray) -> int | None:
    """Shortest strong ACF peak after the first zero crossing.

    Peaks at multiples of the true period can be as high as the fundamental one (a
    weekly pattern lifts lag 7·m above lag m), so the shortest peak reaching
    ``PEAK_SHARE`` of the highest one is taken.
    """
    below = np.flatnonzero(acf[1:] <= 0.0)
    if below.size == 0:
        return None
    start = max(int(below[0]) + 1, 2)
    lags = np.arange(start, acf.size - 1)
    vals = acf[lags]
    peaks = lags[(vals >= acf[lags - 1]) & (vals >= acf[lags + 1]) & (vals >= MIN_ACF)]
    if peaks.size == 0:
        return None
    top = float(acf[peaks].max())
    return int(peaks[acf[peaks] >= PEAK_SHARE * top][0])


def _near_peak(acf: np.ndarray, lag: int) -> float:
    """ACF around ``lag`` (±2% of it), tolerant of a slightly irregular cycle."""
    tol = max(1, lag // 50)
    return float(acf[max(1, lag - tol) : min(acf.size, lag + tol + 1)].max())


def detect_periods(
    values: np.ndarray, timestamps: np.ndarray | None = None, season: int | None = None
) -> tuple[int, ...]:
    """Seasonal periods in steps, primary first; empty when none is found.

    ``season`` fixes the primary period; a weekly multiple may still be added.
    """
    x = np.asarray(values, dtype=float)
    n = x.size
    if season is not None and season < 1:
        raise ValueError(f"season must be a positive number of steps, got {season}")
    if n < 8:
        return (season,) if season and season > 1 else ()
    acf = autocorrelation(x, n // 2)
    primary = season
    if primary is None and timestamps is not None:
        daily = round(DAY_SECONDS / step_seconds(np.asarray(timestamps)))
        if 2 <= daily <= n // 2 and _near_peak(acf, daily) >= MIN_ACF:
            primary = daily
    if primary is None:
        primary = _peak_period(acf[: n // 2 + 1])
    if primary is None or primary < 2:
        return ()
    weekly = 7 * primary
    if 2 * weekly <= n and _near_peak(acf, weekly) > _near_peak(acf, primary) + WEEKLY_MARGIN:
        return (primary, weekly)
    return (primary,)


def detect_season(values: np.ndarray, timestamps: np.ndarray | None = None) -> int | None:
    """The primary seasonal period in steps, or None when the series shows none."""
    periods = detect_periods(values, timestamps)
    return periods[0] if periods else None
