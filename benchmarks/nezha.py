"""Nezha RCA benchmark (FSE'23 data): service-level AS@1/3/5 of ``rank_root_causes``.

Run: .venv/bin/python benchmarks/nezha.py [--pods-only]

For each of the 101 injected faults a 30-minute window of every pod's metrics is cut
out; where the fault sits in the window is drawn at random (seeded) between minute 10
and minute 20, so detection mode cannot assume the middle. Two modes:
  given    -- incident_start = injection time (floored to the minute)
  detected -- incident_start found by the ranker itself, the injection time unused
One parameter set for every fault, system and mode (``WEIGHTS``, ``HORIZON``).

Metrics used: every pod's metric file, plus, where the dataset has them (Online
Boutique only), the per-call-edge P50 latencies of ``source_50.csv`` (client side) and
``destination_50.csv`` (server side) as call-edge series ``caller->callee``: the
metrics a service mesh exports. Train Ticket has no edge metrics. ``--pods-only`` leaves
the edge series out.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.calls import edge_entity  # noqa: E402
from analysis.ranking import rank_root_causes  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "nezha" / "rca_data"
SYSTEMS = {"2022-08-22": "OB", "2022-08-23": "OB", "2023-01-29": "TT", "2023-01-30": "TT"}
SKIP = ("Time", "TimeStamp", "PodName")
# Node-level metrics are shared by every pod of a node, client-side latency mirrors the
# callee's trouble: both are weak evidence against the pod itself.
WEIGHTS = {"Node*": 0.3, "PodClientLatency*": 0.5, "PodServerLatency*": 0.7}
HORIZON = pd.Timedelta(minutes=5)
BASELINE = pd.Timedelta(minutes=5)
WINDOW = pd.Timedelta(minutes=30)


def service_of(pod: str) -> str:
    """``cartservice-579f59597d-wc2lz`` -> ``cartservice`` (drop ReplicaSet hash and id)."""
    return pod.rsplit("-", 2)[0]


def load_day(day: str) -> pd.DataFrame:
    """All pods of a day as one tidy frame; entity = service, time floored to the minute."""
    parts = []
    for path in sorted((DATA / day / "metric").glob("*_metric.csv")):
        raw = pd.read_csv(path)
        times = pd.to_datetime(raw["Time"].str.slice(0, 19), utc=True).dt.floor("min")
        metrics = raw.drop(columns=list(SKIP)).apply(pd.to_numeric, errors="coerce")
        long = metrics.assign(timestamp=times).melt(
            id_vars="timestamp", var_name="metric", value_name="value"
        )
        long["entity"] = service_of(str(raw["PodName"].iloc[0]))
        parts.append(long)
    frame = pd.concat(parts, ignore_index=True)
    return frame.dropna(subset=["value"])[["timestamp", "entity", "metric", "value"]]


def load_calls(day: str) -> pd.DataFrame:
    """Per-edge latency (columns ``<caller>_<callee>``) as call-edge series; an empty
    frame when the day has none."""
    parts = []
    for side in ("source", "destination"):
        path = DATA / day / "metric" / f"{side}_50.csv"
        if not path.exists():
            continue
        raw = pd.read_csv(path)
        times = pd.to_datetime(raw["time"].str.slice(0, 19), utc=True).dt.floor("min")
        edges = raw.drop(columns=["time", "timestamp"]).apply(pd.to_numeric, errors="coerce")
        long = edges.assign(timestamp=times).melt(
            id_vars="timestamp", var_name="edge", value_name="value"
        )
        # service names hold no "_", so the first one separates caller from callee
        pairs = long["edge"].str.split("_", n=1, expand=True)
        long["entity"] = [edge_entity(a, b) for a, b in zip(pairs[0], pairs[1], strict=True)]
        long["metric"] = f"CallLatencyP50({side})"
        parts.append(long)
    if not parts:
        return pd.DataFrame()
    frame = pd.concat(parts, ignore_index=True)
    return frame.dropna(subset=["value"])[["timestamp", "entity", "metric", "value"]]


def faults(day: str) -> list[dict[str, str]]:
    listing = json.loads((DATA / day / f"{day}-fault_list.json").read_text())
    return [fault for hour in sorted(listing) for fault in listing[hour]]


def evaluate(calls: bool = True) -> list[dict[str, object]]:
    rng = np.random.default_rng(20230101)
    rows: list[dict[str, object]] = []
    for day, system in SYSTEMS.items():
        frame = load_day(day)
        entities = set(frame["entity"])
        edges = load_calls(day) if calls else None
        if edges is not None and not edges.empty:
            ends = {end for edge in edges["entity"].unique() for end in edge.split("->")}
            assert ends <= entities, (day, ends - entities)
            frame = pd.concat([frame, edges], ignore_index=True)
        for fault in faults(day):
            truth = service_of(fault["inject_pod"])
            assert truth in entities, (day, truth)
            inject = pd.Timestamp(fault["inject_time"], tz="UTC").floor("min")
            begin = inject - pd.Timedelta(minutes=int(rng.integers(10, 21)))
            window = frame[(frame["timestamp"] >= begin) & (frame["timestamp"] < begin + WINDOW)]
            row: dict[str, object] = {"system": system, "type": fault["inject_type"]}
            for mode, start in (("given", inject), ("detected", None)):
                result = rank_root_causes(window, start, 5, WEIGHTS, HORIZON, BASELINE)
                ranked = [candidate.entity for candidate in result.candidates]
                row[mode] = ranked.index(truth) + 1 if truth in ranked else 0
                if mode == "detected" and result.incident_start is not None:
                    row["onset_error_min"] = (result.incident_start - inject).total_seconds() / 60
            rows.append(row)
    return rows


def accuracy(ranks: list[int], k: int) -> float:
    return 100.0 * sum(1 for r in ranks if 0 < r <= k) / max(1, len(ranks))


def table(rows: list[dict[str, object]], mode: str) -> str:
    groups: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        rank = int(row[mode])  # type: ignore[call-overload]
        groups[f"{row['system']} all"].append(rank)
        groups[f"{row['system']} {row['type']}"].append(rank)
        groups["all"].append(rank)
    lines = [f"| {mode} | n | AS@1 | AS@3 | AS@5 |", "|---|---|---|---|---|"]
    for name in sorted(groups):
        ranks = groups[name]
        lines.append(
            f"| {name} | {len(ranks)} | "
            + " | ".join(f"{accuracy(ranks, k):.2f}" for k in (1, 3, 5))
            + " |"
        )
    return "\n".join(lines)


def main() -> None:
    rows = evaluate(calls="--pods-only" not in sys.argv[1:])
    print(table(rows, "given"))
    print()
    print(table(rows, "detected"))
    errors = [abs(float(r["onset_error_min"])) for r in rows if "onset_error_min" in r]  # type: ignore[arg-type]
    print()
    print(
        f"detected onset: {len(errors)}/{len(rows)} windows with a start; "
        f"|error| median {np.median(errors):.1f} min, within 2 min "
        f"{100 * np.mean(np.array(errors) <= 2):.1f} %"
    )
    hits = [r for r in rows if r["detected"] == 1]
    far = [r for r in hits if abs(float(r.get("onset_error_min", 99))) > 2]  # type: ignore[arg-type]
    print(
        f"detected-mode top-1 hits: {len(hits)}, of which {len(far)} with the start more than "
        f"2 min off (found via a neighbouring fault on the same service): "
        + ", ".join(f"{r['system']} {r['type']}" for r in far)
    )


if __name__ == "__main__":
    main()
