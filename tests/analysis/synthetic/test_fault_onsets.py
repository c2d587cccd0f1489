"""Each fault moves its own signals exactly from the onset step, and nothing about any
other service before the next step (noise-free levels, with and without the fault)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.synthetic.faults import KINDS, Signal, healthy_impact, inject
from analysis.synthetic.system import State, simulate
from analysis.synthetic.topology import random_topology
from analysis.synthetic.traffic import draw_traffic

STEPS, ONSET = 90, 40


def _level(state: State, signal: Signal) -> np.ndarray:
    series = {
        "cpu": state.cpu,
        "throttle": state.throttle,
        "memory": state.memory,
        "restarts": state.restarts,
        "ready": state.running,
        "latency": state.latency,
        "errors": state.error,
        "call": state.call_latency,
    }[signal.concept]
    return np.asarray(series[signal.index], dtype=float)


def _first_change(a: np.ndarray, b: np.ndarray) -> int | None:
    changed = ~np.isclose(a, b, rtol=1e-9, atol=0.0)
    while changed.ndim > 1:
        changed = changed.any(axis=0)
    return int(np.argmax(changed)) if changed.any() else None


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fault_signals_move_at_the_onset_and_others_later(kind: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    fault = inject(kind, random_topology(rng), STEPS, ONSET, rng)
    topology = fault.topology
    seconds = 1_750_000_000 + 30.0 * np.arange(STEPS)
    traffic = draw_traffic(topology, seconds, ONSET, {fault.root}, rng, shift_chance=0.0)
    sick = simulate(topology, fault.impact, traffic)
    healthy = simulate(topology, healthy_impact(topology, STEPS), traffic)
    assert fault.signals
    for signal in fault.signals:
        assert _first_change(_level(healthy, signal), _level(sick, signal)) == ONSET, signal
    owner = np.array([pod.service for pod in topology.pods])
    for service in range(len(topology.services)):
        if service == fault.root:
            continue
        pods = owner == service
        for name in ("rps", "latency", "error"):
            a, b = getattr(healthy, name)[service], getattr(sick, name)[service]
            change = _first_change(a, b)
            assert change is None or change > ONSET, (service, name)
        for name in ("cpu", "throttle", "memory", "running"):
            change = _first_change(getattr(healthy, name)[pods], getattr(sick, name)[pods])
            assert change is None or change > ONSET, (service, name)
