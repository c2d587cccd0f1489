"""Node life: set a node's condition (NotReady, pressure), cordon it, and the kubelet's
eviction of pods from a node under memory or disk pressure."""

from __future__ import annotations

from typing import Any

from sandbox.cluster.endings import finish_pod
from sandbox.cluster.world import Obj, World

__all__ = ["set_condition", "cordon", "evict", "evict_under_pressure", "accepts_pods", "PRESSURES"]

PRESSURES = {
    "MemoryPressure": "memory",
    "DiskPressure": "ephemeral-storage",
    "PIDPressure": "pids",
}


def set_condition(
    world: World, name: str, kind: str, status: str, reason: str = "", message: str = ""
) -> Obj:
    node = world.get("nodes", "", name)
    if node is None:
        raise ValueError(f"no node {name!r}")

    def change(new: Obj) -> None:
        conditions = [
            c for c in new.setdefault("status", {}).get("conditions", []) if c["type"] != kind
        ]
        conditions.append(
            {
                "type": kind,
                "status": status,
                "reason": reason,
                "message": message,
                "lastTransitionTime": world.now(),
                "lastHeartbeatTime": world.now(),
            }
        )
        new["status"]["conditions"] = conditions

    return world.update(node, change)


def cordon(world: World, name: str, unschedulable: bool = True) -> Obj:
    node = world.get("nodes", "", name)
    if node is None:
        raise ValueError(f"no node {name!r}")
    return world.update(node, lambda n: n["spec"].update({"unschedulable": unschedulable}))


def _condition(node: Obj, kind: str) -> str:
    conditions = node.get("status", {}).get("conditions") or []
    return next((str(c.get("status")) for c in conditions if c.get("type") == kind), "")


def accepts_pods(node: Obj) -> str:
    """Why the scheduler skips this node ("" when it does not): cordoned, not ready or
    tainted for pressure, as the node lifecycle controller would taint it."""
    if (node.get("spec") or {}).get("unschedulable"):
        return "were unschedulable"
    if _condition(node, "Ready") in ("False", "Unknown"):
        return "had untolerated taint {node.kubernetes.io/not-ready: }"
    for kind, resource in PRESSURES.items():
        if _condition(node, kind) == "True":
            return f"had untolerated taint {{node.kubernetes.io/{resource}-pressure: }}"
    return ""


def evict_under_pressure(world: World) -> None:
    """One pod per pressured node and tick, as the kubelet's eviction manager does."""
    for node in world.items("nodes"):
        pressure = next(
            (k for k in ("MemoryPressure", "DiskPressure") if _condition(node, k) == "True"), None
        )
        if pressure is None:
            continue
        name = node["metadata"]["name"]
        for pod in world.items("pods"):
            run: Any = world.runtime.get(pod["metadata"]["uid"])
            if (
                run is None
                or run.node != name
                or pod.get("status", {}).get("phase") in ("Failed", "Succeeded")
            ):
                continue
            if any(
                r.get("kind") == "DaemonSet" for r in pod["metadata"].get("ownerReferences", [])
            ):
                continue  # DaemonSet pods tolerate the pressure taints
            evict(world, pod, PRESSURES[pressure])
            break


def evict(world: World, pod: Obj, resource: str = "memory") -> Obj:
    """The kubelet's eviction of ``pod`` for lack of ``resource``."""
    message = f"The node was low on resource: {resource}."
    world.event(pod, "Evicted", message, warning=True)
    return finish_pod(world, pod, "Failed", "Evicted", message)
