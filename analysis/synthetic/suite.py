"""Seeded synthetic incidents with ground truth: a TEST set (nobody tunes on it).

Each case: a random call graph of 8-40 services with 1-4 pods each, a window of 20-60
minutes at a random time of day sampled every 15, 30 or 60 s, one fault of a random kind
on a random service in the middle third of the window, effects passed to callers with
the graph's lags, sometimes a load shift on an unrelated service, transient hiccups
(GC pauses, cron jobs) on others, noise and gaps. A quarter of the cases export generic
per-service names instead of ours.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.synthetic.exporters import export
from analysis.synthetic.faults import KINDS, add_hiccups, healthy_impact, inject
from analysis.synthetic.gaps import punch_gaps
from analysis.synthetic.system import State, simulate
from analysis.synthetic.topology import Topology, random_topology
from analysis.synthetic.traffic import draw_traffic

__all__ = ["Case", "generate_case", "generate_suite"]

STEPS_SECONDS = (15, 30, 60)
MIN_POINTS = 30  # a 60 s step gets at least a 30-minute window
GENERIC_CHANCE = 0.25
# shown at their onset only by series a generic exporter lacks (call edges, throttling)
KUBERNETES_ONLY = ("network_delay", "cpu_throttling")
MESH_CHANCE = 0.4  # of the other cases (always with a network delay: only edges show it)
FIRST_START = 1_735_689_600  # 2025-01-01 UTC
LAST_START = 1_767_225_600  # 2026-01-01 UTC


@dataclass(frozen=True)
class Case:
    """One incident: the tidy ``frame`` and its ground truth.

    ``root_cause``: the service at fault; ``onset``: the first sample time its fault shows
    on; ``fault_series``: (entity, metric) keys of the frame the fault moves at the onset
    (empty when the exporter has none of them, e.g. CPU exported only as a counter);
    ``effects``: for every other service the fault changes, the first time it does
    (always after ``onset``); ``victim``: the service a noisy neighbour slows down;
    ``load_shift``: an unrelated service whose load moved (not a cause).
    """

    name: str
    frame: pd.DataFrame = field(repr=False)
    root_cause: str
    kind: str
    onset: pd.Timestamp
    exporter: str
    step_seconds: int
    services: tuple[str, ...]
    calls: tuple[tuple[str, str], ...]
    fault_series: tuple[tuple[str, str], ...]
    effects: Mapping[str, pd.Timestamp] = field(repr=False)
    victim: str | None = None
    load_shift: str | None = None


def _effects(topology: Topology, healthy: State, sick: State, root: int) -> dict[int, int]:
    """First step at which each service other than ``root`` differs from its healthy self."""
    owner = np.array([pod.service for pod in topology.pods])
    first: dict[int, int] = {}
    for s in range(len(topology.services)):
        if s == root:
            continue
        pods = owner == s
        changed = np.zeros(healthy.rps.shape[1], dtype=bool)
        for name in ("rps", "latency", "error"):
            a, b = getattr(healthy, name)[s], getattr(sick, name)[s]
            changed |= ~np.isclose(a, b, rtol=1e-9, atol=0.0)
        for name in ("cpu", "throttle", "memory", "running"):
            a, b = getattr(healthy, name)[pods], getattr(sick, name)[pods]
            changed |= ~np.isclose(a, b, rtol=1e-9, atol=0.0).all(axis=0)
        if changed.any():
            first[s] = int(np.argmax(changed))
    return first


def _tidy(keys: list[tuple[str, str]], values: np.ndarray, times: pd.DatetimeIndex):
    count, steps = values.shape
    frame = pd.DataFrame(
        {
            "timestamp": np.tile(times, count),
            "entity": np.repeat([entity for entity, _ in keys], steps),
            "metric": np.repeat([metric for _, metric in keys], steps),
            "value": values.ravel(),
        }
    )
    return frame[np.isfinite(frame["value"].to_numpy())].reset_index(drop=True)


def generate_case(seed: int, index: int) -> Case:
    """Case ``index`` of the suite ``seed`` (independent of how many cases are drawn)."""
    rng = np.random.default_rng([seed, index])
    exporter = "generic" if rng.random() < GENERIC_CHANCE else "kubernetes"
    kinds = [k for k in KINDS if exporter == "kubernetes" or k not in KUBERNETES_ONLY]
    kind = kinds[int(rng.integers(len(kinds)))]
    step = int(rng.choice(STEPS_SECONDS))
    minutes = int(rng.integers(max(20, MIN_POINTS * step // 60), 61))
    steps = minutes * 60 // step + 1
    onset = int(rng.integers(steps // 3, 2 * steps // 3 + 1))
    start = int(rng.integers(FIRST_START, LAST_START)) // step * step
    seconds = start + step * np.arange(steps)
    fault = inject(kind, random_topology(rng), steps, onset, rng)
    topology = fault.topology
    related = {fault.root} | ({fault.victim} if fault.victim is not None else set())
    traffic = draw_traffic(topology, seconds.astype(float), onset, related, rng)
    calm = healthy_impact(topology, steps)
    hiccups = int(rng.integers(2**32))  # the same transient trouble with and without fault
    for impact in (fault.impact, calm):
        add_hiccups(impact, topology, related, np.random.default_rng(hiccups))
    sick = simulate(topology, fault.impact, traffic)
    healthy = simulate(topology, calm, traffic)
    mesh = kind == "network_delay" or rng.random() < MESH_CHANCE
    exported = export(exporter, topology, sick, float(step), rng, mesh)
    values = punch_gaps([entity for entity, _ in exported.keys], exported.values, rng)
    times = pd.DatetimeIndex(pd.to_datetime(seconds, unit="s", utc=True))
    names = topology.services
    found = [exported.signals[s] for s in fault.signals if s in exported.signals]
    return Case(
        name=f"{seed}-{index:04d}",
        frame=_tidy(exported.keys, values, times),
        root_cause=names[fault.root],
        kind=kind,
        onset=times[onset],
        exporter=exporter,
        step_seconds=step,
        services=names,
        calls=tuple((names[a], names[b]) for a, b in topology.edges),
        fault_series=tuple(dict.fromkeys(found)),
        effects={
            names[s]: times[i] for s, i in _effects(topology, healthy, sick, fault.root).items()
        },
        victim=None if fault.victim is None else names[fault.victim],
        load_shift=None if traffic.shifted is None else names[traffic.shifted],
    )


def generate_suite(seed: int = 0, count: int = 500) -> Iterator[Case]:
    """``count`` cases of the suite ``seed``, generated lazily."""
    for index in range(count):
        yield generate_case(seed, index)
