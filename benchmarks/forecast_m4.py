"""M4 hourly and two NAB series: our forecaster against seasonal naive.

Run from the repository root:  .venv/bin/python benchmarks/forecast_m4.py [--workers 2]

M4 hourly: 414 series, horizon 48, sMAPE and MASE (in-sample seasonal-naive scale,
m = 24) as the competition defines them; official seasonal naive 13.912 / 1.193.
NAB: realKnownCause/nyc_taxi.csv and realAWSCloudwatch/elb_request_count_8c0756.csv
with the last two days held out.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.forecast import forecast, seasonal_naive, step_seconds

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
M4 = DATA / "m4_hourly"
NAB_FILES = ("realKnownCause/nyc_taxi.csv", "realAWSCloudwatch/elb_request_count_8c0756.csv")
HORIZON, SEASON, LEVEL = 48, 24, 0.8


def smape(y: np.ndarray, f: np.ndarray) -> float:
    return float(np.mean(200.0 * np.abs(y - f) / (np.abs(y) + np.abs(f))))


def mase(history: np.ndarray, y: np.ndarray, f: np.ndarray, m: int) -> float:
    scale = np.mean(np.abs(history[m:] - history[:-m]))
    return float(np.mean(np.abs(y - f)) / scale)


def load_m4() -> tuple[list[np.ndarray], list[np.ndarray]]:
    train = pd.read_csv(M4 / "Hourly-train.csv", index_col=0)
    test = pd.read_csv(M4 / "Hourly-test.csv", index_col=0).loc[train.index]
    histories = [row.dropna().to_numpy(float) for _, row in train.iterrows()]
    truths = [row.dropna().to_numpy(float) for _, row in test.iterrows()]
    return histories, truths


def _run(args: tuple[np.ndarray, int | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    history, season = args
    fc = forecast(history, HORIZON, season=season, level=LEVEL)
    return fc.mean, fc.lower, fc.upper, fc.season or 0


def score_m4(workers: int, season: int | None) -> dict[str, float]:
    histories, truths = load_m4()
    start = time.perf_counter()
    jobs = [(h, season) for h in histories]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_run, jobs, chunksize=8))
    else:
        results = [_run(job) for job in jobs]
    wall = time.perf_counter() - start
    s, m, cover, width, seasons = [], [], [], [], []
    for history, truth, (mean, lower, upper, found) in zip(histories, truths, results, strict=True):
        s.append(smape(truth, mean))
        m.append(mase(history, truth, mean, SEASON))
        cover.append(np.mean((truth >= lower) & (truth <= upper)))
        width.append(np.mean((upper - lower) / np.maximum(np.abs(mean), 1e-9)))
        seasons.append(found == SEASON)
    return {
        "smape": float(np.mean(s)),
        "mase": float(np.mean(m)),
        "coverage": float(np.mean(cover)),
        "rel_width": float(np.median(width)),
        "season_24_share": float(np.mean(seasons)),
        "wall_s": wall,
    }


def score_m4_naive() -> dict[str, float]:
    histories, truths = load_m4()
    fcs = [seasonal_naive(h, HORIZON, SEASON) for h in histories]
    return {
        "smape": float(np.mean([smape(y, f) for y, f in zip(truths, fcs, strict=True)])),
        "mase": float(
            np.mean([mase(h, y, f, SEASON) for h, y, f in zip(histories, truths, fcs, strict=True)])
        ),
    }


def score_nab(name: str) -> dict[str, float]:
    frame = pd.read_csv(DATA / "nab" / "data" / name)
    stamps = pd.to_datetime(frame["timestamp"]).to_numpy("datetime64[s]").astype(np.int64)
    values = frame["value"].to_numpy(float)
    daily = round(86_400 / step_seconds(stamps))
    cut = values.size - 2 * daily
    history, truth = values[:cut], values[cut:]
    start = time.perf_counter()
    fc = forecast(history, truth.size, timestamps=stamps[:cut].astype(float), level=LEVEL)
    wall = time.perf_counter() - start
    naive = seasonal_naive(history, truth.size, daily)
    return {
        "steps": float(truth.size),
        "season": float(fc.season or 0),
        "smape": smape(truth, fc.mean),
        "mase": mase(history, truth, fc.mean, daily),
        "naive_smape": smape(truth, naive),
        "naive_mase": mase(history, truth, naive, daily),
        "coverage": float(np.mean((truth >= fc.lower) & (truth <= fc.upper))),
        "wall_s": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--detect", action="store_true", help="detect the season per series")
    args = parser.parse_args()
    naive = score_m4_naive()
    print(f"M4 hourly seasonal naive: sMAPE {naive['smape']:.3f}  MASE {naive['mase']:.3f}")
    ours = score_m4(args.workers, None if args.detect else SEASON)
    print(
        f"M4 hourly ours ({'detected' if args.detect else 'season 24'}, {args.workers} worker(s)):"
        f" sMAPE {ours['smape']:.3f}  MASE {ours['mase']:.3f}"
        f"  80% coverage {ours['coverage']:.3f}  median rel. width {ours['rel_width']:.3f}"
        f"  season=24 in {ours['season_24_share']:.1%}  wall {ours['wall_s']:.1f} s"
    )
    for name in NAB_FILES:
        r = score_nab(name)
        print(
            f"NAB {name}: {int(r['steps'])} steps held out, season {int(r['season'])};"
            f" ours sMAPE {r['smape']:.3f} MASE {r['mase']:.3f} coverage {r['coverage']:.3f};"
            f" seasonal naive sMAPE {r['naive_smape']:.3f} MASE {r['naive_mase']:.3f};"
            f" {r['wall_s']:.2f} s"
        )


if __name__ == "__main__":
    main()
