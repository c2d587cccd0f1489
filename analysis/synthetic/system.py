"""Run a synthetic system through a window: what every service and pod does per step.

Noise-free levels (noise is the exporters' business). Per step, in this order: which pods
run and their share of the service's requests; each service's own latency and errors;
latency and errors passed to callers through the call graph, each edge with its lag;
requests per second from the entries down (entries lose some traffic while they are
slow); CPU of each pod from its requests, capped at its limit, and throttling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.synthetic.faults import Impact
from analysis.synthetic.topology import Topology
from analysis.synthetic.traffic import Traffic

__all__ = ["NETWORK_SECONDS", "State", "simulate"]

NETWORK_SECONDS = 0.0005  # a healthy call's time on the wire
CAP = 0.98  # CPU use tops out just under the limit
BASE_THROTTLE = 0.01


@dataclass(frozen=True)
class State:
    """Per service ``[service, step]``: ``rps``, ``latency`` (median seconds, callees
    included), ``error`` (ratio). Per edge: ``call_latency``, ``call_error`` as the caller
    sees them. Per pod: ``cpu`` (cores), ``throttle``, ``memory`` (bytes), ``running``,
    ``alive``, ``restarts`` (restarts at the step), ``served`` (requests per second)."""

    rps: np.ndarray
    latency: np.ndarray
    error: np.ndarray
    call_latency: np.ndarray
    call_error: np.ndarray
    cpu: np.ndarray
    throttle: np.ndarray
    memory: np.ndarray
    running: np.ndarray
    alive: np.ndarray
    restarts: np.ndarray
    served: np.ndarray


def _delayed(series: np.ndarray, steps: int) -> np.ndarray:
    """``series`` ``steps`` later (the first value repeated at the front)."""
    if steps <= 0:
        return series
    return np.concatenate([np.full(steps, series[0]), series[:-steps]])


def _requests(topology: Topology, entry: np.ndarray, shift: np.ndarray) -> np.ndarray:
    rps = np.zeros_like(shift)
    for s in range(len(topology.services)):
        if s < topology.entries:
            rps[s] = entry[s]
        for e in topology.callers(s):
            rps[s] += topology.fanout[e] * rps[topology.edges[e][0]]
        rps[s] *= shift[s]
    return rps


def simulate(topology: Topology, impact: Impact, traffic: Traffic) -> State:
    services, steps = impact.latency_factor.shape
    owner = np.array([pod.service for pod in topology.pods])
    running = impact.alive & ~impact.down
    count = np.zeros((services, steps))
    np.add.at(count, owner, running.astype(float))
    share = running / np.maximum(count[owner], 1.0)
    pod_errors = np.zeros((services, steps))
    np.add.at(pod_errors, owner, share * impact.pod_error)
    own_error = topology.error[:, None] + impact.error_add + pod_errors
    own_error = np.where(count > 0, np.clip(own_error, 0.0, 1.0), 1.0)
    latency = topology.latency[:, None] * impact.latency_factor
    error = own_error.copy()
    call_latency = np.zeros_like(impact.edge_delay)
    call_error = np.zeros_like(impact.edge_delay)
    for s in reversed(range(services)):  # callees come after their callers
        ok = 1.0 - own_error[s]
        for e in topology.callees(s):
            callee, lag = topology.edges[e][1], int(topology.lag[e])
            call_latency[e] = latency[callee] + NETWORK_SECONDS + impact.edge_delay[e]
            call_error[e] = error[callee]
            latency[s] = latency[s] + topology.weight[e] * _delayed(call_latency[e], lag)
            ok = ok * (1.0 - topology.passed[e] * _delayed(call_error[e], lag))
        error[s] = 1.0 - ok
    slowdown = np.ones_like(traffic.entry)
    for s in range(topology.entries):
        ratio = _delayed(latency[s] / latency[s, 0], 1)
        slowdown[s] = 1.0 / (1.0 + traffic.patience * np.clip(ratio - 1.0, 0.0, None))
    rps = _requests(topology, traffic.entry * slowdown, traffic.shift)
    usual = _requests(topology, traffic.entry, np.ones_like(traffic.shift)).mean(axis=1)
    replicas = np.bincount(owner[impact.alive[:, 0]], minlength=services)
    limit = topology.cpu_limit[owner][:, None]
    idle = topology.cpu_idle[owner][:, None]
    target = topology.utilisation * topology.cpu_limit - topology.cpu_idle
    cost = (target / (usual / np.maximum(replicas, 1)))[owner][:, None]
    served = rps[owner] * share
    demand = running * (idle + cost * served + impact.cpu_extra)
    pressure = np.clip((demand / limit - 0.8) / 0.6, 0.0, 1.0)
    throttle = running * np.clip(BASE_THROTTLE + 0.8 * pressure + impact.throttle_add, 0.0, 1.0)
    memory = topology.memory[owner][:, None] + impact.memory_add
    memory = running * np.clip(memory, 0.3 * topology.memory[owner][:, None], None)
    return State(
        rps=rps,
        latency=latency,
        error=error,
        call_latency=call_latency,
        call_error=call_error,
        cpu=np.minimum(demand, CAP * limit),
        throttle=throttle,
        memory=memory,
        running=running,
        alive=impact.alive,
        restarts=impact.restarts,
        served=served,
    )
