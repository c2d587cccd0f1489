"""metrics.k8s.io PodMetrics: what running containers use, capped by their CPU limit."""

from __future__ import annotations

from typing import Any

from cluster.quantity import format_cpu, format_memory, parse_cpu
from sandbox.cluster.world import Obj, World

__all__ = ["pod_metrics"]


def pod_metrics(world: World, namespace: str | None) -> list[Obj]:
    items: list[Obj] = []
    for pod in world.items("pods", namespace):
        run: Any = world.runtime.get(pod["metadata"]["uid"])
        if run is None:
            continue
        containers = []
        for spec in pod["spec"]["containers"]:
            state = run.containers.get(spec["name"])
            how = world.image(spec["image"])
            if state is None or state.started_at is None or how is None:
                continue
            cpu = how.cpu_m
            limit = (spec.get("resources") or {}).get("limits", {}).get("cpu")
            if limit is not None:
                cpu = min(cpu, parse_cpu(limit))
            usage = {"cpu": format_cpu(cpu), "memory": format_memory(how.memory_mi * 2**20)}
            containers.append({"name": spec["name"], "usage": usage})
        if containers:
            items.append(
                {
                    "kind": "PodMetrics",
                    "apiVersion": "metrics.k8s.io/v1beta1",
                    "metadata": {
                        "name": pod["metadata"]["name"],
                        "namespace": pod["metadata"]["namespace"],
                        "labels": pod["metadata"].get("labels", {}),
                    },
                    "timestamp": world.now(),
                    "window": "30s",
                    "containers": containers,
                }
            )
    return items
