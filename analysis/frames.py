"""Tidy metric frames: validation and pivoting to a (series x time) matrix.

A tidy frame has one row per sample with the columns ``timestamp`` (tz-aware UTC),
``entity`` (service or pod), ``metric`` and ``value``. The analysis functions work on the
dense matrix built by :func:`pivot_series`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "SeriesMatrix", "pivot_series", "validate_frame"]

COLUMNS = ("timestamp", "entity", "metric", "value")


@dataclass(frozen=True)
class SeriesMatrix:
    """Series on a shared time grid: ``values[i]`` is series ``keys[i]`` over ``times``."""

    times: pd.DatetimeIndex
    keys: tuple[tuple[str, str], ...]
    values: np.ndarray

    def index_of(self, when: pd.Timestamp) -> int:
        """Position of the first grid time at or after ``when`` (``len(times)`` if none)."""
        return int(self.times.searchsorted(when, side="left"))


def validate_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the frame with checked column types, or raise a precise ValueError."""
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"metric frame lacks column(s): {', '.join(missing)}")
    if frame.empty:
        raise ValueError("metric frame is empty")
    timestamps = frame["timestamp"]
    if not isinstance(timestamps.dtype, pd.DatetimeTZDtype):
        raise ValueError("column 'timestamp' must hold tz-aware timestamps (UTC)")
    try:
        values = pd.to_numeric(frame["value"], errors="raise").astype(float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"column 'value' must be numeric: {error}") from None
    return pd.DataFrame(
        {
            "timestamp": timestamps.dt.tz_convert("UTC"),
            "entity": frame["entity"].astype(str),
            "metric": frame["metric"].astype(str),
            "value": values,
        }
    )


def pivot_series(frame: pd.DataFrame) -> SeriesMatrix:
    """Pivot a tidy frame to a dense matrix; gaps are filled from neighbouring samples.

    Duplicate samples are averaged. Series that hold no finite value are dropped.
    """
    tidy = validate_frame(frame)
    tidy = tidy[np.isfinite(tidy["value"].to_numpy())]
    if tidy.empty:
        raise ValueError("metric frame holds no finite value")
    wide = tidy.pivot_table(
        index=["entity", "metric"], columns="timestamp", values="value", aggfunc="mean"
    )
    wide = wide.sort_index(axis=1).ffill(axis=1).bfill(axis=1)
    keys = tuple((str(entity), str(metric)) for entity, metric in wide.index)
    times = pd.DatetimeIndex(wide.columns)
    return SeriesMatrix(times=times, keys=keys, values=wide.to_numpy(dtype=float))
