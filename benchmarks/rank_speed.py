"""Speed of rank_root_causes on 500 series x 300 points (goal: <= 300 ms).

Run: .venv/bin/python benchmarks/rank_speed.py
Prints the median of 7 runs for a given and a detected incident start, and the share
taken by pivoting the tidy frame.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.frames import pivot_series  # noqa: E402
from analysis.ranking import rank_root_causes  # noqa: E402

ENTITIES, METRICS, POINTS = 50, 10, 300


def frame() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    times = pd.date_range("2024-05-01", periods=POINTS, freq="15s", tz="UTC")
    values = 50 + rng.normal(0, 1, (ENTITIES * METRICS, POINTS)).cumsum(axis=1) * 0.1
    values[:40, 200:] += 20  # four entities depart together
    keys = [(f"svc-{e}", f"metric_{m}") for e in range(ENTITIES) for m in range(METRICS)]
    return pd.DataFrame(
        {
            "timestamp": np.tile(times, len(keys)),
            "entity": np.repeat([k[0] for k in keys], POINTS),
            "metric": np.repeat([k[1] for k in keys], POINTS),
            "value": values.ravel(),
        }
    )


def median_ms(action, runs: int = 7) -> float:
    spent = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        spent.append(1000 * (time.perf_counter() - began))
    return float(np.median(spent))


def main() -> None:
    data = frame()
    start = data["timestamp"].iloc[200]
    print(f"{ENTITIES * METRICS} series x {POINTS} points ({len(data)} rows)")
    print(f"pivot only        {median_ms(lambda: pivot_series(data)):7.1f} ms")
    print(f"start given       {median_ms(lambda: rank_root_causes(data, start)):7.1f} ms")
    print(f"start detected    {median_ms(lambda: rank_root_causes(data)):7.1f} ms")


if __name__ == "__main__":
    main()
