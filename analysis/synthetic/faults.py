"""Faults users meet, as changes to a healthy system (the ``Impact`` of one fault).

Every fault starts exactly at its ``onset`` step on the root-cause service (its fault
signals move at that step); what it does to other services is left to ``system``, which
passes changes on to callers with the lags of the call graph.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from analysis.synthetic.noise import log_uniform
from analysis.synthetic.topology import Topology, with_new_replica_set

__all__ = ["KINDS", "Fault", "Impact", "Signal", "add_hiccups", "healthy_impact", "inject"]

KINDS = (
    "cpu_hog",
    "cpu_throttling",
    "memory_leak",
    "latency",
    "errors",
    "pod_kill",
    "network_delay",
    "bad_rollout",
    "noisy_neighbour",
)
Concept = Literal["cpu", "throttle", "memory", "restarts", "ready", "latency", "errors", "call"]


@dataclass(frozen=True)
class Impact:
    """What differs from the healthy system, per step (arrays ``[item, step]``).

    Per service: ``latency_factor`` (own latency x), ``error_add`` (own error ratio +).
    Per edge: ``edge_delay`` (seconds added to the call). Per pod: ``cpu_extra`` (cores
    demanded on top), ``throttle_add`` (share of CFS periods throttled on top),
    ``memory_add`` (bytes), ``pod_error`` (error ratio of requests the pod serves),
    ``down`` (container not running), ``restarts`` (container restarts at the step) and
    ``alive`` (the pod exists).
    """

    latency_factor: np.ndarray
    error_add: np.ndarray
    edge_delay: np.ndarray
    cpu_extra: np.ndarray
    throttle_add: np.ndarray
    memory_add: np.ndarray
    pod_error: np.ndarray
    down: np.ndarray
    restarts: np.ndarray
    alive: np.ndarray


@dataclass(frozen=True)
class Signal:
    """A series the fault moves at its onset step: ``scope`` ``pod`` / ``service`` /
    ``edge`` with the index of that item in the topology, and what it measures."""

    scope: Literal["pod", "service", "edge"]
    index: int
    concept: Concept


@dataclass(frozen=True)
class Fault:
    kind: str
    root: int  # the root-cause service
    onset: int  # first step the fault shows
    topology: Topology  # with a rollout's new pods
    impact: Impact
    signals: tuple[Signal, ...]
    victim: int | None = None  # the service a noisy neighbour slows down


def add_hiccups(
    impact: Impact, topology: Topology, spared: set[int], rng: np.random.Generator
) -> None:
    """Transient trouble that is not the incident, on up to three services outside
    ``spared``: a GC pause or a slow dependency call (latency x2-5 for 1-3 steps), or a
    cron job (one pod's CPU up for 1-3 steps), anywhere in the window."""
    steps = impact.latency_factor.shape[1]
    others = [s for s in range(len(topology.services)) if s not in spared]
    for _ in range(int(rng.integers(0, 4))):
        service = int(rng.choice(others))
        at, length = int(rng.integers(steps)), int(rng.integers(1, 4))
        if rng.random() < 0.5:
            impact.latency_factor[service, at : at + length] *= rng.uniform(2.0, 5.0)
        else:
            pods = topology.pods_of(service)
            pod = pods[int(rng.integers(len(pods)))]
            extra = topology.cpu_limit[service] * rng.uniform(0.3, 0.9)
            impact.cpu_extra[pod, at : at + length] += extra


def healthy_impact(topology: Topology, steps: int) -> Impact:
    services, edges, pods = len(topology.services), len(topology.edges), len(topology.pods)
    new = np.array([pod.generation for pod in topology.pods]) > 0
    return Impact(
        latency_factor=np.ones((services, steps)),
        error_add=np.zeros((services, steps)),
        edge_delay=np.zeros((edges, steps)),
        cpu_extra=np.zeros((pods, steps)),
        throttle_add=np.zeros((pods, steps)),
        memory_add=np.zeros((pods, steps)),
        pod_error=np.zeros((pods, steps)),
        down=np.zeros((pods, steps), dtype=bool),
        restarts=np.zeros((pods, steps), dtype=int),
        alive=np.repeat(~new[:, None], steps, axis=1),
    )


def _ramp(steps: int, start: int, length: int) -> np.ndarray:
    """0 before ``start``, already above 0 at ``start``, 1 from ``start + length - 1``."""
    t = np.arange(steps)
    return np.clip((t - start + 1) / max(1, length), 0.0, 1.0)


def _some_pods(pods: list[int], rng: np.random.Generator) -> list[int]:
    """All pods of the service, or one of them."""
    if len(pods) > 1 and rng.random() < 0.4:
        return [pods[int(rng.integers(len(pods)))]]
    return pods


def inject(
    kind: str, topology: Topology, steps: int, onset: int, rng: np.random.Generator
) -> Fault:
    """A fault of ``kind`` starting at step ``onset`` on a service drawn at random."""
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; choose from {', '.join(KINDS)}")
    if kind == "network_delay":
        edge = int(rng.integers(len(topology.edges)))
        root = topology.edges[edge][1]
    else:
        edge, root = -1, int(rng.integers(len(topology.services)))
    if kind == "bad_rollout":
        topology = with_new_replica_set(topology, root, rng)
    impact = healthy_impact(topology, steps)
    fault = Fault(kind, root, onset, topology, impact, ())
    if kind == "network_delay":
        impact.edge_delay[edge] += log_uniform(0.02, 0.5, rng) * _ramp(steps, onset, _short(rng))
        return replace(fault, signals=(Signal("edge", edge, "call"),))
    if kind == "noisy_neighbour":
        return _noisy_neighbour(fault, steps, rng)
    return replace(fault, signals=_ROOT_FAULTS[kind](fault, steps, rng))


def _short(rng: np.random.Generator) -> int:
    return int(rng.integers(1, 3))


def _cpu_hog(fault: Fault, steps: int, rng: np.random.Generator) -> tuple[Signal, ...]:
    topology, impact, root, onset = fault.topology, fault.impact, fault.root, fault.onset
    pods = _some_pods(topology.pods_of(root), rng)
    for pod in pods:
        hog = topology.cpu_limit[root] * rng.uniform(1.0, 2.5)
        impact.cpu_extra[pod] += hog * _ramp(steps, onset, _short(rng))
    slow = rng.uniform(0.5, 4.0) * len(pods) / len(topology.pods_of(root))
    impact.latency_factor[root] *= 1 + slow * _ramp(steps, onset + 1, int(rng.integers(1, 4)))
    impact.error_add[root] += rng.uniform(0.0, 0.02) * _ramp(steps, onset + 2, 2)
    return (Signal("pod", pods[0], "cpu"), Signal("pod", pods[0], "throttle"))


def _cpu_throttling(fault: Fault, steps: int, rng: np.random.Generator) -> tuple[Signal, ...]:
    topology, impact, root, onset = fault.topology, fault.impact, fault.root, fault.onset
    pods = _some_pods(topology.pods_of(root), rng)
    for pod in pods:
        impact.throttle_add[pod] += rng.uniform(0.1, 0.6) * _ramp(steps, onset, _short(rng))
    slow = rng.uniform(0.2, 1.5) * len(pods) / len(topology.pods_of(root))
    impact.latency_factor[root] *= 1 + slow * _ramp(steps, onset + 1, 2)
    return (Signal("pod", pods[0], "throttle"),)


def _memory_leak(fault: Fault, steps: int, rng: np.random.Generator) -> tuple[Signal, ...]:
    """Memory ramps to the limit, the container is OOM-killed (restart, not ready for a
    step or two, a few errors), comes back small and leaks again."""
    topology, impact, root, onset = fault.topology, fault.impact, fault.root, fault.onset
    pods = _some_pods(topology.pods_of(root), rng)
    base, limit = topology.memory[root], topology.memory_limit[root]
    pressure = np.zeros(steps)
    for pod in pods:
        length = int(rng.integers(3, max(4, int(0.7 * (steps - onset)))))
        start = onset
        while start < steps:
            growing = (np.arange(steps) >= start) & (np.arange(steps) < start + length)
            grow = _ramp(steps, start, length) * growing
            impact.memory_add[pod] += (limit - base) * grow
            pressure = np.maximum(pressure, np.clip((grow - 0.7) / 0.3, 0, 1))
            oom = start + length
            if oom >= steps:
                break
            down = int(rng.integers(1, 3))
            impact.down[pod, oom : oom + down] = True
            impact.restarts[pod, oom] += 1
            impact.memory_add[pod, oom + down : oom + down + 3] -= 0.3 * base
            impact.error_add[root, oom : oom + down] += rng.uniform(0.05, 0.3) / len(
                topology.pods_of(root)
            )
            start = oom + down
    share = len(pods) / len(topology.pods_of(root))
    impact.latency_factor[root] *= 1 + rng.uniform(0.2, 1.0) * share * pressure
    return (Signal("pod", pods[0], "memory"),)


def _latency(fault: Fault, steps: int, rng: np.random.Generator) -> tuple[Signal, ...]:
    ramp = _ramp(steps, fault.onset, _short(rng))
    fault.impact.latency_factor[fault.root] *= 1 + log_uniform(0.3, 20.0, rng) * ramp
    return (Signal("service", fault.root, "latency"),)


def _errors(fault: Fault, steps: int, rng: np.random.Generator) -> tuple[Signal, ...]:
    ramp = _ramp(steps, fault.onset, _short(rng))
    fault.impact.error_add[fault.root] += log_uniform(0.01, 0.5, rng) * ramp
    return (Signal("service", fault.root, "errors"),)


def _pod_kill(fault: Fault, steps: int, rng: np.random.Generator) -> tuple[Signal, ...]:
    """One pod's container is killed: not running and not ready until it restarts, a
    burst of errors from requests in flight, fresh (small) memory afterwards."""
    topology, impact, root, onset = fault.topology, fault.impact, fault.root, fault.onset
    pods = topology.pods_of(root)
    pod = pods[int(rng.integers(len(pods)))]
    down = int(rng.integers(1, 5))
    impact.down[pod, onset : onset + down] = True
    impact.restarts[pod, onset] += 1
    impact.memory_add[pod, onset + down : onset + down + 3] -= 0.4 * topology.memory[root]
    burst = int(rng.integers(1, 3))
    impact.error_add[root, onset : onset + burst] += rng.uniform(0.05, 0.4) / len(pods)
    impact.latency_factor[root, onset : onset + burst] *= 1.3
    return (
        Signal("pod", pod, "ready"),
        Signal("pod", pod, "restarts"),
        Signal("service", root, "errors"),
    )


def _bad_rollout(fault: Fault, steps: int, rng: np.random.Generator) -> tuple[Signal, ...]:
    """A new ReplicaSet replaces the pods one by one; the new version fails requests."""
    topology, impact, root, onset = fault.topology, fault.impact, fault.root, fault.onset
    old, new = topology.pods_of(root, 0), topology.pods_of(root, 1)
    pace = int(rng.integers(1, 3))
    bug = log_uniform(0.02, 0.5, rng)
    for j, (before, after) in enumerate(zip(old, new, strict=True)):
        impact.alive[after, onset + j * pace :] = True
        impact.alive[before, onset + (j + 1) * pace :] = False
        impact.pod_error[after] = bug
        warm = topology.cpu_limit[root] * 0.5
        impact.cpu_extra[after, onset + j * pace : onset + j * pace + 2] += warm
        impact.memory_add[after] -= 0.3 * topology.memory[root]
    return (Signal("service", root, "errors"),)


def _noisy_neighbour(fault: Fault, steps: int, rng: np.random.Generator) -> Fault:
    """A batch job in the root service burns CPU on a node it shares with the victim,
    whose latency rises a step or two later."""
    topology, impact, root, onset = fault.topology, fault.impact, fault.root, fault.onset
    victim = int(rng.choice([s for s in range(len(topology.services)) if s != root]))
    pods = topology.pods_of(root)
    hogs = _some_pods(pods, rng)
    for pod in hogs:
        extra = topology.cpu_limit[root] * rng.uniform(0.4, 1.5)
        impact.cpu_extra[pod] += extra * _ramp(steps, onset, _short(rng))
    busy = hogs[0]
    shared = topology.pods_of(victim)
    moved = shared[int(rng.integers(len(shared)))]
    pods_now = list(topology.pods)
    pods_now[moved] = replace(pods_now[moved], node=topology.pods[busy].node)
    slow = log_uniform(0.3, 4.0, rng) / len(shared)
    ramp = _ramp(steps, onset + int(rng.integers(1, 3)), 2)
    impact.latency_factor[victim] *= 1 + slow * ramp
    return replace(
        fault,
        topology=replace(topology, pods=tuple(pods_now)),
        signals=(Signal("pod", busy, "cpu"),),
        victim=victim,
    )


_ROOT_FAULTS = {
    "cpu_hog": _cpu_hog,
    "cpu_throttling": _cpu_throttling,
    "memory_leak": _memory_leak,
    "latency": _latency,
    "errors": _errors,
    "pod_kill": _pod_kill,
    "bad_rollout": _bad_rollout,
}
