"""Endpoints controller: each Service's ready and not-ready pod addresses."""

from __future__ import annotations

from typing import Any

from cluster.selectors import selector_matches
from sandbox.cluster.kubelet import is_ready
from sandbox.cluster.world import World

__all__ = ["refresh_endpoints"]


def refresh_endpoints(world: World) -> None:
    for service in world.items("services"):
        meta = service["metadata"]
        selector = service["spec"].get("selector")
        if not selector:
            continue
        ready: list[dict[str, Any]] = []
        waiting: list[dict[str, Any]] = []
        for pod in world.items("pods", meta["namespace"]):
            run: Any = world.runtime.get(pod["metadata"]["uid"])
            if run is None or not run.ip:
                continue
            if not selector_matches({"matchLabels": selector}, pod["metadata"].get("labels", {})):
                continue
            address = {
                "ip": run.ip,
                "targetRef": {
                    "kind": "Pod",
                    "name": pod["metadata"]["name"],
                    "namespace": meta["namespace"],
                    "uid": pod["metadata"]["uid"],
                },
            }
            (ready if is_ready(pod) else waiting).append(address)
        ports = [
            {"port": _target(p), "protocol": p.get("protocol", "TCP"), "name": p.get("name", "")}
            for p in service["spec"].get("ports", [])
        ]
        subset: dict[str, Any] = {"ports": ports}
        if ready:
            subset["addresses"] = ready
        if waiting:
            subset["notReadyAddresses"] = waiting
        endpoints = {
            "kind": "Endpoints",
            "metadata": {"name": meta["name"], "namespace": meta["namespace"]},
            "subsets": [subset] if ready or waiting else [],
        }
        existing = world.get("endpoints", meta["namespace"], meta["name"])
        if existing is None:
            world.add(endpoints)
        else:
            world.set_field(existing, "subsets", endpoints["subsets"])


def _target(port: dict[str, Any]) -> int:
    target = port.get("targetPort", port["port"])
    return target if isinstance(target, int) else int(port["port"])
