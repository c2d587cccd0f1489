"""Place a pod on the first node whose free allocatable CPU and memory fit its requests."""

from __future__ import annotations

from typing import Any

from cluster.quantity import parse_cpu, parse_memory
from sandbox.cluster.dra import allocate, unallocatable
from sandbox.cluster.nodes import accepts_pods
from sandbox.cluster.quota import pod_totals
from sandbox.cluster.storage import unbound_claims
from sandbox.cluster.world import Obj, World

__all__ = ["schedule"]


def _free(world: World, node: Obj) -> dict[str, float]:
    allocatable = node.get("status", {}).get("allocatable", {})
    free = {
        "cpu": parse_cpu(allocatable.get("cpu", "0")),
        "memory": parse_memory(allocatable.get("memory", "0")),
    }
    name = node["metadata"]["name"]
    for pod in world.items("pods"):
        run: Any = world.runtime.get(pod["metadata"]["uid"])
        if run is not None and run.node == name:
            totals = pod_totals(pod)
            free["cpu"] -= totals["requests.cpu"]
            free["memory"] -= totals["requests.memory"]
    return free


def schedule(world: World, pod: Obj) -> tuple[Obj | None, str]:
    """The chosen node, or None and the scheduler's FailedScheduling message."""
    nodes = world.items("nodes")
    unbound = unbound_claims(world, pod)
    if unbound:
        return None, unbound
    claims = unallocatable(world, pod, len(nodes))
    if claims:
        return None, claims
    wanted = pod_totals(pod)
    short = {"cpu": 0, "memory": 0}
    skipped: dict[str, int] = {}
    for node in nodes:
        why = accepts_pods(node)
        if why:
            skipped[why] = skipped.get(why, 0) + 1
            continue
        free = _free(world, node)
        lacks = [r for r in ("cpu", "memory") if wanted[f"requests.{r}"] > free[r]]
        if not lacks:
            allocate(world, pod, node["metadata"]["name"])
            return node, ""
        for resource in lacks:
            short[resource] += 1
    parts = [f"{n} Insufficient {r}" for r, n in short.items() if n]
    parts += [f"{n} node(s) {why}" for why, n in skipped.items()]
    reasons = ", ".join(parts)
    return None, f"0/{len(nodes)} nodes are available: {reasons or 'no nodes registered'}."
