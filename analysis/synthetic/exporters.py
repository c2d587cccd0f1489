"""What exporters make of a system's state: the series of a tidy metric frame.

``kubernetes``: the names of ``analysis/signals.yaml`` -- per pod ``cpu_usage_cores``,
``cpu_throttled_ratio``, ``memory_working_set_bytes``, ``restarts`` (increase over the
2-minute rate window), ``ready``; per service ``request_rate``, ``error_ratio``,
``latency_p90_seconds``; with a service mesh, per call edge ``caller->callee``
``call_latency_p90_ms`` and often ``call_error_ratio``. ``generic``: one entity per
service with the names and units some other exporter picked (``cpu``, ``cpu_percent``,
``heap_bytes``, ``qps``, ``p90_ms``, ...), some of them counters (cumulative, reset when
a pod's process restarts or the exporter restarts).

Noise is multiplicative AR(1) (additive for ratios); a container that does not run
exports no CPU or memory samples, a pod that does not exist exports nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.calls import edge_entity
from analysis.synthetic.faults import Signal
from analysis.synthetic.noise import ar1
from analysis.synthetic.system import State
from analysis.synthetic.topology import Topology

__all__ = ["EXPORTERS", "Exported", "export"]

EXPORTERS = ("kubernetes", "generic")
P90 = float(np.exp(1.2816 * 0.6))  # p90 / median of a log-normal latency, sigma 0.6
RATE_WINDOW_SECONDS = 120.0
# generic exporters: (name, unit factor) per concept; a counter name is cumulative
CPU_NAMES = (("cpu", 1.0), ("cpu_percent", 100.0), ("process_cpu_seconds_rate", 1.0))
MEMORY_NAMES = (("mem", 2.0**-20), ("heap_bytes", 1.0), ("rss_mb", 1e-6), ("memory", 1.0))
LOAD_NAMES = (("load", 1.0), ("qps", 1.0), ("requests_per_second", 1.0), ("rpm", 60.0))
LATENCY_NAMES = (("latency", 1.0), ("p90_ms", 1000.0), ("response_time_ms", 1000.0))
ERROR_NAMES = ("errors", "error_rate", "failure_ratio")  # errors: failed requests / s
CPU_COUNTER, LOAD_COUNTER = "process_cpu_seconds_total", "requests_total"

Key = tuple[str, str]


@dataclass(frozen=True)
class Exported:
    """Series on the step grid (NaN: no sample) and where each fault signal went."""

    keys: list[Key]
    values: np.ndarray
    signals: dict[Signal, Key]


def _noisy(level: np.ndarray, sigma: tuple[float, float], rng: np.random.Generator):
    """``level`` times AR(1) noise; each row's spread drawn within ``sigma``."""
    spread = rng.uniform(*sigma, level.shape[0])
    rho = rng.uniform(0.5, 0.9)
    return level * (1 + ar1(level.shape[0], level.shape[1], spread, rng, rho))


def _ratio(level: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    return np.clip(level + ar1(level.shape[0], level.shape[1], sigma, rng), 0.0, 1.0)


def _error_ratio(level: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return _ratio(_noisy(level, (0.1, 0.3), rng), 3e-4, rng)


def _increase(events: np.ndarray, step: float) -> np.ndarray:
    """Events within the rate window ending at each step (``increase(...[2m])``)."""
    width = max(1, int(round(RATE_WINDOW_SECONDS / step)))
    totals = np.cumsum(events, axis=1).astype(float)
    before = np.zeros_like(totals)
    before[:, width:] = totals[:, :-width]
    return totals - before


def export(
    exporter: str,
    topology: Topology,
    state: State,
    step: float,
    rng: np.random.Generator,
    mesh: bool = False,
) -> Exported:
    """The series ``exporter`` gives of ``state``; ``mesh``: with call-edge series
    (``kubernetes`` only)."""
    if exporter == "kubernetes":
        return _kubernetes(topology, state, step, rng, mesh)
    if exporter == "generic":
        return _generic(topology, state, step, rng)
    raise ValueError(f"unknown exporter {exporter!r}; choose from {', '.join(EXPORTERS)}")


def _kubernetes(
    topology: Topology, state: State, step: float, rng: np.random.Generator, mesh: bool
) -> Exported:
    keys: list[Key] = []
    rows: list[np.ndarray] = []
    signals: dict[Signal, Key] = {}
    hidden = np.where(state.running, 1.0, np.nan)
    absent = np.where(state.alive, 1.0, np.nan)
    pod_series = {
        "cpu_usage_cores": _noisy(state.cpu, (0.03, 0.12), rng) * hidden,
        "cpu_throttled_ratio": _ratio(state.throttle, 0.004, rng) * hidden,
        "memory_working_set_bytes": _noisy(state.memory, (0.003, 0.02), rng) * hidden,
        "restarts": _increase(state.restarts, step) * absent,
        "ready": state.running.astype(float) * absent,
    }
    concepts = (
        ("cpu", "cpu_usage_cores"),
        ("throttle", "cpu_throttled_ratio"),
        ("memory", "memory_working_set_bytes"),
        ("restarts", "restarts"),
        ("ready", "ready"),
    )
    for i, pod in enumerate(topology.pods):
        for metric, matrix in pod_series.items():
            keys.append((pod.name, metric))
            rows.append(matrix[i])
        for concept, metric in concepts:
            signals[Signal("pod", i, concept)] = (pod.name, metric)  # type: ignore[arg-type]
    service_series = {
        "request_rate": _noisy(state.rps, (0.02, 0.08), rng),
        "error_ratio": _error_ratio(state.error, rng),
        "latency_p90_seconds": _noisy(state.latency * P90, (0.03, 0.2), rng),
    }
    for s, name in enumerate(topology.services):
        for metric, matrix in service_series.items():
            keys.append((name, metric))
            rows.append(matrix[s])
        signals[Signal("service", s, "latency")] = (name, "latency_p90_seconds")
        signals[Signal("service", s, "errors")] = (name, "error_ratio")
    if mesh:
        _mesh(topology, state, rng, keys, rows, signals)
    return Exported(keys, np.array(rows), signals)


def _mesh(
    topology: Topology,
    state: State,
    rng: np.random.Generator,
    keys: list[Key],
    rows: list[np.ndarray],
    signals: dict[Signal, Key],
) -> None:
    """Istio's client-side per-edge latency (ms) and, with most meshes, error ratio."""
    latency = _noisy(state.call_latency * P90 * 1000, (0.03, 0.2), rng)
    errors = _error_ratio(state.call_error, rng) if rng.random() < 0.7 else None
    for e, (caller, callee) in enumerate(topology.edges):
        entity = edge_entity(topology.services[caller], topology.services[callee])
        keys.append((entity, "call_latency_p90_ms"))
        rows.append(latency[e])
        signals[Signal("edge", e, "call")] = (entity, "call_latency_p90_ms")
        if errors is not None:
            keys.append((entity, "call_error_ratio"))
            rows.append(errors[e])


def _counter(rates: np.ndarray, resets: np.ndarray, step: float) -> np.ndarray:
    """Cumulative counts of per-step ``rates`` that restart from 0 where ``resets``."""
    totals = np.cumsum(rates * step, axis=1)
    steps = np.arange(rates.shape[1])
    last = np.maximum.accumulate(np.where(resets, steps, 0), axis=1)
    before = np.take_along_axis(totals - rates * step, last, axis=1)
    return totals - before


def _per_service(topology: Topology, per_pod: np.ndarray) -> np.ndarray:
    owner = np.array([pod.service for pod in topology.pods])
    total = np.zeros((len(topology.services), per_pod.shape[1]))
    np.add.at(total, owner, np.nan_to_num(per_pod))
    return total


def _pick(names: tuple, rng: np.random.Generator):
    return names[int(rng.integers(len(names)))]


def _generic(topology: Topology, state: State, step: float, rng: np.random.Generator) -> Exported:
    """One entity per service; names, units and counters vary between cases."""
    resets = (state.restarts > 0) | ~state.alive
    if rng.random() < 0.25:  # an exporter restarts: all counters of that service reset
        restarted = int(rng.integers(len(topology.services)))
        at = int(rng.integers(1, state.rps.shape[1]))
        for i in topology.pods_of(restarted):
            resets[i, at] = True
    cpu_pod = _noisy(state.cpu, (0.03, 0.12), rng) * state.running
    series: dict[str, tuple[np.ndarray, str | None]] = {}
    if rng.random() < 0.3:
        series["cpu"] = (_per_service(topology, _counter(cpu_pod, resets, step)), None)
    else:
        name, unit = _pick(CPU_NAMES, rng)
        series["cpu"] = (_per_service(topology, cpu_pod) * unit, name)
    name, unit = _pick(MEMORY_NAMES, rng)
    memory = _noisy(state.memory, (0.003, 0.02), rng) * state.running
    series["memory"] = (_per_service(topology, memory) * unit, name)
    rps = _noisy(state.rps, (0.02, 0.08), rng)
    if rng.random() < 0.4:
        owner = np.array([pod.service for pod in topology.pods])
        served = rps[owner] * state.served / np.maximum(state.rps[owner], 1e-9)
        series["load"] = (_per_service(topology, _counter(served, resets, step)), None)
    else:
        name, unit = _pick(LOAD_NAMES, rng)
        series["load"] = (rps * unit, name)
    name, unit = _pick(LATENCY_NAMES, rng)
    series["latency"] = (_noisy(state.latency * P90, (0.03, 0.2), rng) * unit, name)
    name = _pick(ERROR_NAMES, rng)
    ratio = _error_ratio(state.error, rng)
    series["errors"] = (ratio * rps if name == "errors" else ratio, name)
    counters = {"cpu": CPU_COUNTER, "load": LOAD_COUNTER}
    keys: list[Key] = []
    rows: list[np.ndarray] = []
    signals: dict[Signal, Key] = {}
    for s, service in enumerate(topology.services):
        for concept, (matrix, metric) in series.items():
            keys.append((service, metric or counters[concept]))
            rows.append(matrix[s])
            if metric is not None and concept != "load":
                signals[Signal("service", s, concept)] = (service, metric)  # type: ignore[arg-type]
    for i, pod in enumerate(topology.pods):
        for concept in ("cpu", "memory"):
            found = signals.get(Signal("service", pod.service, concept))  # type: ignore[arg-type]
            if found:
                signals[Signal("pod", i, concept)] = found  # type: ignore[arg-type]
    return Exported(keys, np.array(rows), signals)
