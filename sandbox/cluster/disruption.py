"""Disruption controller: a PodDisruptionBudget's healthy, desired and allowed counts."""

from __future__ import annotations

import math

from cluster.selectors import selector_matches
from sandbox.cluster.kubelet import is_ready
from sandbox.cluster.world import Obj, World

__all__ = ["reconcile_budgets"]


def _count(value: int | str, total: int, *, round_up: bool) -> int:
    if isinstance(value, str) and value.endswith("%"):
        exact = total * int(value[:-1]) / 100
        return math.ceil(exact) if round_up else math.floor(exact)
    return int(value)


def _status(world: World, budget: Obj) -> dict[str, object]:
    spec = budget["spec"]
    pods = [
        pod
        for pod in world.items("pods", budget["metadata"]["namespace"])
        if pod.get("status", {}).get("phase") not in ("Failed", "Succeeded")
        and selector_matches(spec.get("selector"), pod["metadata"].get("labels") or {})
    ]
    expected = len(pods)
    healthy = sum(1 for pod in pods if is_ready(pod))
    if "minAvailable" in spec:
        desired = _count(spec["minAvailable"], expected, round_up=True)
    else:
        desired = expected - _count(spec.get("maxUnavailable", 0), expected, round_up=True)
    return {
        "observedGeneration": budget["metadata"].get("generation", 1),
        "expectedPods": expected,
        "currentHealthy": healthy,
        "desiredHealthy": max(0, desired),
        "disruptionsAllowed": max(0, healthy - max(0, desired)),
    }


def reconcile_budgets(world: World) -> None:
    for budget in world.items("poddisruptionbudgets"):
        world.set_field(budget, "status", _status(world, budget))
