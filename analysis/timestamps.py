"""Timestamps of the offline CSV inputs: ISO 8601 or Unix seconds, read as UTC."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["UnparsableTimestamp", "is_unix_seconds", "parse_timestamps"]


class UnparsableTimestamp(ValueError):
    """``position`` is the 0-based data row; callers phrase the message for their file."""

    def __init__(self, position: int, value: object) -> None:
        super().__init__(f"unparsable timestamp {value!r} in data row {position + 1}")
        self.position = position
        self.value = value


def is_unix_seconds(raw: pd.Series) -> bool:
    return bool(pd.to_numeric(raw, errors="coerce").notna().all())


def parse_timestamps(raw: pd.Series) -> pd.Series:
    """UTC timestamps from all-numeric Unix seconds, else from ISO 8601 (naive = UTC)."""
    if is_unix_seconds(raw):
        return pd.to_datetime(pd.to_numeric(raw), unit="s", utc=True)
    parsed = pd.to_datetime(raw.astype(str), utc=True, errors="coerce", format="ISO8601")
    if parsed.isna().any():
        position = int(np.flatnonzero(parsed.isna().to_numpy())[0])
        raise UnparsableTimestamp(position, raw.iloc[position])
    return parsed
