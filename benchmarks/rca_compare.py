"""RCA scoreboard: our ranker and published baselines, side by side, on every dataset.

Run: .venv/bin/python benchmarks/rca_compare.py [--datasets nezha-ob,nezha-tt,demo,synthetic]
     [--methods ours,ours-nezha,baro,baro-abs,nsigma] [--modes given,late60,late120,detected]
     [--limit N] [--json FILE] [--markdown]

Prints ONE table, dataset x mode x method with AC@1, AC@3 and Avg@5 (the mean of AC@1..5,
as RCAEval defines it), scored at SERVICE level: a ranked pod counts as its workload
(``analysis.workloads.workload_of``), call edges ``caller->callee`` are skipped, and a
service counts once, at its best place. Then a second table per dataset: mean rank
(a miss counts as 6) and AC@1 per fault kind in mode ``given``, for ``ours`` and the best
baseline.

Datasets:
  nezha-ob, nezha-tt  the Nezha faults cut exactly as ``benchmarks/nezha.py`` cuts them
                      (30-minute windows, same seed; OB with its call-edge series)
  demo                the sandbox's demo incident (``sandbox.demo.incident_scenario``)
                      for every culprit, fault kind and seeds 0..4, backfilled into a real
                      Prometheus and fetched with ``PrometheusSource`` like ``/rca``
  synthetic           ``analysis.synthetic.generate_suite(seed=SUITE_SEED, count=500)``
Modes: ``given`` (incident start = true onset), ``late60`` / ``late120`` (onset + 60 s /
120 s), ``detected`` (no start passed; the baselines have no detector: "—").
Methods: ``ours`` = ``rank_root_causes(frame, start)`` with its defaults (top=5), exactly
as ``cloudops rca --metrics F --json`` calls it; ``ours-nezha`` = the same with
nezha.py's WEIGHTS / HORIZON / BASELINE (Nezha datasets only); ``baro``, ``baro-abs``,
``nsigma`` from ``benchmarks/rca_baselines.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import nezha  # noqa: E402
from rca_baselines import BASELINES  # noqa: E402

from analysis.calls import split_edge  # noqa: E402
from analysis.frames import SeriesMatrix, pivot_series  # noqa: E402
from analysis.ranking import rank_root_causes  # noqa: E402
from analysis.workloads import workload_of  # noqa: E402

DATASETS = ("nezha-ob", "nezha-tt", "demo", "synthetic")
METHODS = ("ours", "ours-nezha", "baro", "baro-abs", "nsigma")
MODES = {
    "given": pd.Timedelta(0),
    "late60": pd.Timedelta(seconds=60),
    "late120": pd.Timedelta(seconds=120),
    "detected": None,
}
SUITE_SEED = 20260101
SUITE_COUNT = 500
DEMO_SEEDS = range(5)
DEMO_CULPRITS = ("ledger", "fraud", "accounts")
DEMO_FAULTS = ("cpu_starved", "network_delay")
DEMO_WINDOW = pd.Timedelta(minutes=30)
MISS = 6  # rank counted for a miss in the mean rank


def _nezha_data() -> Path:
    """nezha.py looks next to the repository; a git worktree sits one level deeper."""
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "benchmarks" / "nezha" / "rca_data"
        if candidate.is_dir():
            return candidate
    return nezha.DATA


nezha.DATA = _nezha_data()


@dataclass
class Case:
    dataset: str
    name: str
    frame: pd.DataFrame
    truth: str  # root-cause service
    kind: str
    onset: pd.Timestamp
    service_of: Callable[[str], str] = workload_of

    @cached_property
    def matrix(self) -> SeriesMatrix:
        """The frame pivoted once for all baselines."""
        return pivot_series(self.frame)


Ranker = Callable[[Case, "pd.Timestamp | None"], "list[str] | None"]


# -- datasets ---------------------------------------------------------------------------


def nezha_cases(system: str) -> Iterator[Case]:
    """The windows of ``nezha.evaluate`` for one system (the seeded offsets are drawn for
    every fault of every day in the same order, so each window is the same)."""
    rng = np.random.default_rng(20230101)
    for day, day_system in nezha.SYSTEMS.items():
        offsets = [int(rng.integers(10, 21)) for _ in nezha.faults(day)]
        if day_system != system:
            continue
        frame = nezha.load_day(day)
        edges = nezha.load_calls(day)
        if not edges.empty:
            frame = pd.concat([frame, edges], ignore_index=True)
        for number, (fault, offset) in enumerate(zip(nezha.faults(day), offsets, strict=True)):
            inject = pd.Timestamp(fault["inject_time"], tz="UTC").floor("min")
            begin = inject - pd.Timedelta(minutes=offset)
            window = frame[
                (frame["timestamp"] >= begin) & (frame["timestamp"] < begin + nezha.WINDOW)
            ]
            yield Case(
                f"nezha-{system.lower()}",
                f"{day}#{number}",
                window.reset_index(drop=True),
                nezha.service_of(fault["inject_pod"]),
                fault["inject_type"],
                inject,
                service_of=lambda entity: entity,  # load_day already names services
            )


def demo_cases() -> Iterator[Case]:
    """The demo incident for every culprit and fault kind, fetched from a real Prometheus."""
    from analysis.prometheus import PrometheusSource
    from sandbox.demo import BackfilledPrometheus, incident_scenario

    rng = np.random.default_rng(7)
    start = pd.Timestamp("2026-01-05T09:00:00Z").to_pydatetime()
    for seed in DEMO_SEEDS:
        for culprit in DEMO_CULPRITS:
            for fault in DEMO_FAULTS:
                onset_minute = int(rng.integers(35, 46))  # minute 5..15 of the RCA window
                scenario = incident_scenario(
                    start=start,
                    minutes=60,
                    culprit=culprit,
                    onset_minute=onset_minute,
                    seed=seed,
                    fault=fault,  # type: ignore[arg-type]
                )
                with (
                    tempfile.TemporaryDirectory() as workdir,
                    BackfilledPrometheus(scenario.text, workdir) as server,
                    PrometheusSource(server.url, services=scenario.services_config()) as source,
                ):
                    frame = source.fetch(
                        scenario.service,
                        scenario.namespace,
                        (scenario.end - DEMO_WINDOW).to_pydatetime(),
                        scenario.end.to_pydatetime(),
                    )
                assert scenario.onset is not None
                yield Case(
                    "demo", f"seed{seed}-{culprit}-{fault}", frame, culprit, fault, scenario.onset
                )


def synthetic_cases() -> Iterator[Case]:
    from analysis.synthetic import generate_suite

    for case in generate_suite(seed=SUITE_SEED, count=SUITE_COUNT):
        yield Case("synthetic", case.name, case.frame, case.root_cause, case.kind, case.onset)


def load(dataset: str) -> Iterator[Case]:
    if dataset == "nezha-ob":
        return nezha_cases("OB")
    if dataset == "nezha-tt":
        return nezha_cases("TT")
    if dataset == "demo":
        return demo_cases()
    if dataset == "synthetic":
        return synthetic_cases()
    raise ValueError(f"unknown dataset {dataset!r}; choose from {', '.join(DATASETS)}")


# -- methods ----------------------------------------------------------------------------


def _ours(case: Case, start: pd.Timestamp | None) -> list[str]:
    return [c.entity for c in rank_root_causes(case.frame, start).candidates]


def _ours_nezha(case: Case, start: pd.Timestamp | None) -> list[str] | None:
    if not case.dataset.startswith("nezha"):
        return None
    result = rank_root_causes(case.frame, start, 5, nezha.WEIGHTS, nezha.HORIZON, nezha.BASELINE)
    return [c.entity for c in result.candidates]


def _baseline(name: str) -> Ranker:
    method = BASELINES[name]

    def run(case: Case, start: pd.Timestamp | None) -> list[str] | None:
        return None if start is None else method(case.matrix, start)

    return run


def rankers() -> dict[str, Ranker]:
    return {
        "ours": _ours,
        "ours-nezha": _ours_nezha,
        **{name: _baseline(name) for name in BASELINES},
    }


def services(case: Case, entities: list[str]) -> list[str]:
    """Ranked entities as ranked services: pods -> workload, edges skipped, first wins."""
    seen: dict[str, None] = {}
    for entity in entities:
        if split_edge(entity) is None:
            seen.setdefault(case.service_of(entity), None)
    return list(seen)


def score_case(case: Case, methods: list[str], modes: list[str]) -> list[dict[str, object]]:
    table = rankers()
    rows: list[dict[str, object]] = []
    for method in methods:
        for mode in modes:
            shift = MODES[mode]
            start = None if shift is None else case.onset + shift
            row: dict[str, object] = {
                "dataset": case.dataset,
                "case": case.name,
                "kind": case.kind,
                "truth": case.truth,
                "method": method,
                "mode": mode,
            }
            began = time.perf_counter()
            try:
                ranked = table[method](case, start)
            except ValueError as error:  # too little data around the start, ...
                ranked, row["error"] = [], " ".join(str(error).split())
            row["seconds"] = round(time.perf_counter() - began, 4)
            if ranked is None:
                continue  # method does not apply (dataset or mode)
            found = services(case, ranked)
            row["top"] = found[:5]
            row["rank"] = found.index(case.truth) + 1 if case.truth in found else 0
            rows.append(row)
    return rows


# -- tables -----------------------------------------------------------------------------


def accuracy(ranks: list[int], k: int) -> float:
    return 100.0 * sum(1 for r in ranks if 0 < r <= k) / max(1, len(ranks))


def avg5(ranks: list[int]) -> float:
    return sum(accuracy(ranks, k) for k in range(1, 6)) / 5


def mean_rank(ranks: list[int]) -> float:
    return float(np.mean([r if 0 < r <= 5 else MISS for r in ranks])) if ranks else float("nan")


def _grid(header: list[str], body: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in body])
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, ["-" * w for w in widths], *body]
    )


def scoreboard(
    rows: list[dict[str, object]],
    datasets: list[str],
    methods: list[str],
    modes: list[str],
    markdown: bool,
) -> str:
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for row in rows:
        groups[(str(row["dataset"]), str(row["mode"]), str(row["method"]))].append(int(row["rank"]))  # type: ignore[call-overload]
    body = []
    for dataset in datasets:
        for mode in modes:
            for method in methods:
                if not any((dataset, m, method) in groups for m in modes):
                    continue  # the method does not apply to this dataset at all
                ranks = groups.get((dataset, mode, method))
                cells = (
                    [
                        str(len(ranks)),
                        *(
                            f"{x:.1f}"
                            for x in (accuracy(ranks, 1), accuracy(ranks, 3), avg5(ranks))
                        ),
                    ]
                    if ranks
                    else ["—", "—", "—", "—"]
                )
                body.append([dataset, mode, method, *cells])
    return _grid(["dataset", "mode", "method", "n", "AC@1", "AC@3", "Avg@5"], body, markdown)


def _best_baseline(rows: list[dict[str, object]], dataset: str) -> str | None:
    scores: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row["dataset"] == dataset and row["mode"] == "given" and row["method"] in BASELINES:
            scores[str(row["method"])].append(int(row["rank"]))  # type: ignore[call-overload]
    return max(scores, key=lambda m: (avg5(scores[m]), m)) if scores else None


def misses(rows: list[dict[str, object]], datasets: list[str], markdown: bool) -> str:
    """Per dataset, mode ``given``: mean rank and AC@1 per fault kind, ours vs best baseline."""
    body = []
    for dataset in datasets:
        best = _best_baseline(rows, dataset)
        picked = [m for m in ("ours", best) if m]
        ranks: dict[tuple[str, str], list[int]] = defaultdict(list)
        for row in rows:
            if row["dataset"] == dataset and row["mode"] == "given" and row["method"] in picked:
                rank = int(row["rank"])  # type: ignore[call-overload]
                ranks[(str(row["method"]), "(all)")].append(rank)
                ranks[(str(row["method"]), str(row["kind"]))].append(rank)
        kinds = sorted({kind for _, kind in ranks} - {"(all)"})
        for kind in ["(all)", *kinds]:
            cells = [dataset, kind, str(len(ranks.get(("ours", kind), [])))]
            for method in ("ours", best):
                got = ranks.get((method or "", kind))
                cells += [f"{mean_rank(got):.2f}", f"{accuracy(got, 1):.1f}"] if got else ["—", "—"]
            body.append([*cells, best or "—"])
    header = ["dataset", "kind (given)", "n", "ours mean rank", "ours AC@1"]
    header += ["best baseline mean rank", "best baseline AC@1", "best baseline"]
    return _grid(header, body, markdown)


def per_method_seconds(rows: list[dict[str, object]], methods: list[str]) -> str:
    spent: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        spent[str(row["method"])].append(float(row["seconds"]))  # type: ignore[arg-type]
    return ", ".join(f"{m} {np.mean(spent[m]):.3f}" for m in methods if spent.get(m))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="benchmarks/rca_compare.py")
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--limit", type=int, default=None, help="first N cases per dataset")
    parser.add_argument("--json", type=Path, default=None, help="write raw per-case ranks")
    parser.add_argument("--markdown", action="store_true", help="print markdown tables")
    options = parser.parse_args(argv)
    datasets = options.datasets.split(",")
    methods = options.methods.split(",")
    modes = options.modes.split(",")
    for name, chosen, known in (
        ("dataset", datasets, DATASETS),
        ("method", methods, METHODS),
        ("mode", modes, tuple(MODES)),
    ):
        unknown = [x for x in chosen if x not in known]
        if unknown:
            parser.error(f"unknown {name}(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    began = time.perf_counter()
    rows: list[dict[str, object]] = []
    timings = []
    for dataset in datasets:
        cases = load(dataset)
        count, loading, scoring = 0, 0.0, 0.0
        while options.limit is None or count < options.limit:
            started = time.perf_counter()
            case = next(cases, None)
            loading += time.perf_counter() - started
            if case is None:
                break
            started = time.perf_counter()
            rows += score_case(case, methods, modes)
            scoring += time.perf_counter() - started
            count += 1
        timings.append(
            f"{dataset}: {count} cases, loaded in {loading:.0f} s, scored in {scoring:.0f} s"
        )
    print(scoreboard(rows, datasets, methods, modes, options.markdown))
    print()
    print(misses(rows, datasets, options.markdown))
    print()
    print(f"took {time.perf_counter() - began:.0f} s")
    for line in timings:
        print(f"  {line}")
    print("  mean seconds per case and mode: " + per_method_seconds(rows, methods))
    if options.json:
        options.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
