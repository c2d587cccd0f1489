"""Nodes: NotReady, memory/disk/PID pressure, cordoned while pods wait for room."""

from __future__ import annotations

from cluster.finding import Finding, Severity
from cluster.snapshot import Json
from cluster.view import NamespaceView, object_key

KIND = "Node"
PROBLEMS = ("node_not_ready", "node_pressure", "node_cordoned")
PRESSURES = ("MemoryPressure", "DiskPressure", "PIDPressure")


def _condition(node: Json, kind: str) -> Json:
    conditions = (node.get("status") or {}).get("conditions") or []
    return next((c for c in conditions if c.get("type") == kind), {})


def _pending_unscheduled(view: NamespaceView) -> list[str]:
    return sorted(
        str(pod["metadata"]["name"])
        for pod in view.pods
        if any(
            c.get("type") == "PodScheduled" and c.get("reason") == "Unschedulable"
            for c in (pod.get("status") or {}).get("conditions") or []
        )
    )


def _hosts_namespace(view: NamespaceView, node: Json) -> bool:
    name = node["metadata"]["name"]
    addresses = {a.get("address") for a in (node.get("status") or {}).get("addresses") or []}
    return any(
        (pod.get("spec") or {}).get("nodeName") == name
        or (pod.get("status") or {}).get("hostIP") in addresses
        for pod in view.pods
    )


def check(view: NamespaceView, *, every_node: bool = False) -> list[Finding]:
    """Nodes that matter to the namespace (they run its pods, or its pods cannot be
    placed); every node with ``every_node``."""
    waiting = _pending_unscheduled(view)
    findings: list[Finding] = []
    for node in view.nodes:
        name = str(node["metadata"]["name"])
        if not (every_node or waiting or _hosts_namespace(view, node)):
            continue
        key = object_key("", KIND, name)
        ready = _condition(node, "Ready")
        if ready.get("status") != "True":
            evidence = {
                "node": name,
                "status": str(ready.get("status", "Unknown")),
                "reason": str(ready.get("reason", "")),
                "message": str(ready.get("message", "")),
            }
            findings.append(Finding(key, PROBLEMS[0], evidence, "critical"))
        for pressure in PRESSURES:
            condition = _condition(node, pressure)
            if condition.get("status") == "True":
                evidence = {
                    "node": name,
                    "pressure": pressure,
                    "message": str(condition.get("message", "")),
                }
                findings.append(Finding(key, PROBLEMS[1], evidence, "warning"))
        if (node.get("spec") or {}).get("unschedulable"):
            evidence = {"node": name, "waiting": str(len(waiting)), "pods": ", ".join(waiting[:5])}
            severity: Severity = "warning" if waiting else "info"
            findings.append(Finding(key, PROBLEMS[2], evidence, severity))
    return findings
