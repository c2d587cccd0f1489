"""Load the NAB corpus (data, label windows, cost profiles, reference scores) in place."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

NAB_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "nab"

__all__ = ["NAB_DIR", "NabFile", "load_corpus", "load_profiles", "load_reference_scores"]


@dataclass(frozen=True)
class NabFile:
    """One NAB series with its anomaly windows as inclusive row-index ranges."""

    name: str
    timestamps: pd.DatetimeIndex
    values: np.ndarray
    windows: tuple[tuple[int, int], ...]

    @property
    def category(self) -> str:
        return self.name.split("/", 1)[0]


def _window_rows(
    timestamps: pd.DatetimeIndex, limits: list[list[str]]
) -> tuple[tuple[int, int], ...]:
    rows = []
    for start, end in limits:
        left = timestamps.get_loc(pd.Timestamp(start))
        right = timestamps.get_loc(pd.Timestamp(end))
        if not isinstance(left, int) or not isinstance(right, int):
            raise ValueError(f"window {start}..{end} does not match exactly one row")
        rows.append((left, right))
    return tuple(rows)


def load_corpus(root: Path = NAB_DIR) -> list[NabFile]:
    """All 58 NAB files, sorted by name, with windows mapped to row indices."""
    windows = json.loads((root / "labels" / "combined_windows.json").read_text())
    files = []
    for name in sorted(windows):
        frame = pd.read_csv(root / "data" / name)
        stamps = pd.DatetimeIndex(pd.to_datetime(frame["timestamp"]))
        values = frame["value"].to_numpy(dtype=float)
        files.append(NabFile(name, stamps, values, _window_rows(stamps, windows[name])))
    return files


def load_profiles(root: Path = NAB_DIR) -> dict[str, dict[str, float]]:
    """Cost matrices keyed by profile name (standard, reward_low_FP_rate, reward_low_FN_rate)."""
    profiles = json.loads((root / "config" / "profiles.json").read_text())
    return {name: dict(body["CostMatrix"]) for name, body in profiles.items()}


def load_reference_scores(detector: str, root: Path = NAB_DIR) -> dict[str, np.ndarray]:
    """Published anomaly scores of a reference detector, keyed by file name."""
    frame = pd.read_csv(root / "reference_results" / f"{detector}.csv.gz")
    return {
        name: group["anomaly_score"].to_numpy(dtype=float)
        for name, group in frame.groupby("file", sort=False)
    }
