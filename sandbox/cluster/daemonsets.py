"""DaemonSet controller: one pod per node its nodeSelector admits, pinned to that node;
pods left on nodes that no longer match are counted as misscheduled."""

from __future__ import annotations

from typing import Any

from sandbox.cluster.kubelet import PodRun, is_ready, new_pod
from sandbox.cluster.statefulsets import (
    REVISION_LABEL,
    active_pods,
    outdated,
    owner_ref,
    replace_one,
    revision_hash,
)
from sandbox.cluster.world import Obj, World

__all__ = ["reconcile_daemon_sets", "node_of"]


def node_of(world: World, pod: Obj) -> str | None:
    run: Any = world.runtime.get(pod["metadata"]["uid"])
    return run.node if run is not None else pod["spec"].get("nodeName")


def _eligible(daemon_set: Obj, node: Obj) -> bool:
    selector = daemon_set["spec"]["template"]["spec"].get("nodeSelector") or {}
    labels = node["metadata"].get("labels") or {}
    return all(labels.get(k) == v for k, v in selector.items())


def _address(node: Obj) -> str:
    addresses = node.get("status", {}).get("addresses", [])
    return next((a["address"] for a in addresses if a.get("type") == "InternalIP"), "10.0.0.1")


def reconcile_daemon_sets(world: World) -> None:
    nodes = world.items("nodes")
    for daemon_set in world.items("daemonsets"):
        pods = active_pods(world, daemon_set)
        placed = {node_of(world, pod): pod for pod in pods}
        eligible = [n for n in nodes if _eligible(daemon_set, n)]
        for node in eligible:
            node_name = node["metadata"]["name"]
            if node_name in placed:
                continue
            pod = new_pod(world, daemon_set, owner_ref(daemon_set))
            pod["spec"]["nodeName"] = node_name
            pod["metadata"]["labels"][REVISION_LABEL] = revision_hash(daemon_set)
            pod = world.add(pod)
            run = PodRun(node=node_name, host_ip=_address(node))
            run.ip = f"10.245.{world.serial() % 250}.{world.serial() % 250 + 2}"
            world.runtime[pod["metadata"]["uid"]] = run  # placed by the controller itself
            placed[node_name] = pod
            world.event(daemon_set, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}")
        wanted = {n["metadata"]["name"] for n in eligible}
        on_wanted = [p for name, p in placed.items() if name in wanted]
        if len(on_wanted) == len(eligible):  # one node at a time, in node order
            replace_one(world, daemon_set, on_wanted, lambda p: str(node_of(world, p)))
            on_wanted = [p for p in active_pods(world, daemon_set) if node_of(world, p) in wanted]
        ready = sum(1 for pod in on_wanted if is_ready(pod))
        updated = sum(1 for pod in on_wanted if not outdated(pod, daemon_set))
        status = {
            "observedGeneration": daemon_set["metadata"].get("generation", 1),
            "desiredNumberScheduled": len(eligible),
            "currentNumberScheduled": len(on_wanted),
            "updatedNumberScheduled": updated,
            "numberReady": ready,
            "numberAvailable": ready,
            "numberUnavailable": max(0, len(eligible) - ready),
            "numberMisscheduled": len(placed) - len(on_wanted),
        }
        world.set_field(daemon_set, "status", status)
