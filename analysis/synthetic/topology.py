"""A random microservice system: a call graph (DAG) with pods and healthy levels."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from analysis.synthetic.names import pod_name, replica_set_hash, service_names

__all__ = ["Pod", "Topology", "random_topology", "with_new_replica_set"]

MIN_SERVICES, MAX_SERVICES = 8, 40
MAX_PODS = 4
NODE_COUNT = (3, 8)


@dataclass(frozen=True)
class Pod:
    name: str
    service: int  # index into Topology.services
    node: int
    generation: int = 0  # 0: the running ReplicaSet; 1: a rollout's new one


@dataclass(frozen=True)
class Topology:
    """Services in topological order (callers before callees; the first are entries).

    Per-service arrays hold the healthy levels: ``latency`` (own median seconds, without
    callees), ``error`` (own error ratio), ``cpu_idle`` (cores per pod), ``utilisation`` (healthy
    mean CPU use as a share of ``cpu_limit``, cores per pod), ``memory`` and ``memory_limit``
    (bytes per pod). Per edge (caller, callee): calls per request (``fanout``), how much of
    the callee's latency adds to the caller's (``weight``), the share of the callee's
    errors the caller passes on (``passed``) and the steps a change takes to show at the
    caller (``lag``).
    """

    services: tuple[str, ...]
    entries: int
    edges: tuple[tuple[int, int], ...]
    fanout: np.ndarray
    weight: np.ndarray
    passed: np.ndarray
    lag: np.ndarray
    pods: tuple[Pod, ...]
    latency: np.ndarray
    error: np.ndarray
    cpu_idle: np.ndarray
    utilisation: np.ndarray
    cpu_limit: np.ndarray
    memory: np.ndarray
    memory_limit: np.ndarray

    def callees(self, service: int) -> list[int]:
        return [e for e, (caller, _) in enumerate(self.edges) if caller == service]

    def callers(self, service: int) -> list[int]:
        return [e for e, (_, callee) in enumerate(self.edges) if callee == service]

    def pods_of(self, service: int, generation: int | None = None) -> list[int]:
        return [
            i
            for i, pod in enumerate(self.pods)
            if pod.service == service and (generation is None or pod.generation == generation)
        ]

    def ancestors(self, service: int) -> set[int]:
        found: set[int] = set()
        todo = [service]
        while todo:
            for e in self.callers(todo.pop()):
                caller = self.edges[e][0]
                if caller not in found:
                    found.add(caller)
                    todo.append(caller)
        return found

    def descendants(self, service: int) -> set[int]:
        found: set[int] = set()
        todo = [service]
        while todo:
            for e in self.callees(todo.pop()):
                callee = self.edges[e][1]
                if callee not in found:
                    found.add(callee)
                    todo.append(callee)
        return found


def _edges(count: int, entries: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    """Every non-entry service is called by one or two earlier services (so reachable from
    an entry); a few extra calls skip levels."""
    edges: set[tuple[int, int]] = set()
    for callee in range(entries, count):
        recent = max(0, callee - 6)
        for _ in range(1 + int(rng.random() < 0.3)):
            low = recent if rng.random() < 0.7 else 0
            caller = int(rng.integers(low, callee))
            edges.add((caller, callee))
    return sorted(edges)


def with_new_replica_set(topology: Topology, service: int, rng: np.random.Generator) -> Topology:
    """``topology`` plus the pods of a new ReplicaSet of ``service`` (generation 1): as many
    as it runs, with a new pod-template hash, on random nodes."""
    old = topology.pods_of(service)
    template = replica_set_hash(rng)
    nodes = 1 + max(pod.node for pod in topology.pods)
    name = topology.services[service]
    new = [Pod(pod_name(name, template, rng), service, int(rng.integers(nodes)), 1) for _ in old]
    return replace(topology, pods=(*topology.pods, *new))


def random_topology(rng: np.random.Generator) -> Topology:
    """A system of 8-40 services with 1-4 pods each, on 3-7 nodes."""
    count = int(rng.integers(MIN_SERVICES, MAX_SERVICES + 1))
    entries = 1 + int(rng.random() < 0.35)
    names = service_names(count, rng)
    edges = _edges(count, entries, rng)
    nodes = int(rng.integers(*NODE_COUNT))
    pods: list[Pod] = []
    for index, name in enumerate(names):
        replicas = int(rng.integers(1, MAX_PODS + 1))
        template = replica_set_hash(rng)
        pods += [
            Pod(pod_name(name, template, rng), index, int(rng.integers(nodes)))
            for _ in range(replicas)
        ]
    limit = rng.choice([0.25, 0.5, 1.0, 2.0], count)
    memory = rng.uniform(80, 900, count) * 2**20
    return Topology(
        services=names,
        entries=entries,
        edges=tuple(edges),
        fanout=rng.uniform(0.3, 1.2, len(edges)),
        weight=rng.uniform(0.3, 1.0, len(edges)),
        passed=rng.uniform(0.4, 1.0, len(edges)),
        lag=rng.integers(1, 4, len(edges)),
        pods=tuple(pods),
        latency=rng.uniform(0.002, 0.04, count),
        error=rng.uniform(0.0, 0.004, count),
        cpu_idle=limit * rng.uniform(0.02, 0.08, count),
        utilisation=rng.uniform(0.2, 0.6, count),
        cpu_limit=limit,
        memory=memory,
        memory_limit=memory * rng.uniform(1.4, 2.5, count),
    )
