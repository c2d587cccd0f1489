"""Turn Prometheus range-query results into tidy frames."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.frames import COLUMNS

__all__ = ["empty_frame", "label_summary", "to_tidy"]

Result = Sequence[Mapping[str, Any]]


def empty_frame() -> pd.DataFrame:
    """A tidy frame with no rows and the contract's column types."""
    return pd.DataFrame(
        {
            "timestamp": pd.Series([], dtype="datetime64[ns, UTC]"),
            "entity": pd.Series([], dtype=object),
            "metric": pd.Series([], dtype=object),
            "value": pd.Series([], dtype=float),
        }
    )


def label_summary(labels: Mapping[str, str]) -> str:
    """``{job="x", pod="y"}`` without ``__name__``, labels sorted; ``{}`` when none."""
    pairs = sorted((k, v) for k, v in labels.items() if k != "__name__")
    return "{" + ", ".join(f'{k}="{v}"' for k, v in pairs) + "}"


def to_tidy(
    result: Result,
    metric: str | Callable[[Mapping[str, str]], str],
    entity: Callable[[Mapping[str, str]], str],
) -> pd.DataFrame:
    """One row per finite sample; ``metric`` (a name or a function of the labels) and
    ``entity`` name each series."""
    parts = []
    for series in result:
        labels = series.get("metric", {})
        values = series.get("values", [])
        if not values:
            continue
        stamps = np.array([float(point[0]) for point in values])
        numbers = np.array([float(point[1]) for point in values])
        keep = np.isfinite(numbers)
        if not keep.any():
            continue
        parts.append(
            pd.DataFrame(
                {
                    "timestamp": pd.to_datetime(
                        np.round(stamps[keep] * 1000).astype(np.int64), unit="ms", utc=True
                    ),
                    "entity": entity(labels),
                    "metric": metric if isinstance(metric, str) else metric(labels),
                    "value": numbers[keep],
                }
            )
        )
    if not parts:
        return empty_frame()
    return pd.concat(parts, ignore_index=True)[list(COLUMNS)]
