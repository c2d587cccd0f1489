"""Nodes: NotReady, memory/disk/PID pressure, cordoned while pods wait for room.

A cordoned node carries a plan to uncordon it only when that evidently helps and is safe:
it is Ready without pressure, and pods wait because nodes "were unschedulable"."""

from __future__ import annotations

from cluster.analyzers.fixes import object_plan
from cluster.finding import Finding, Severity
from cluster.plans import FixPlan, UncordonNode
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


def _cordon_blocks(view: NamespaceView) -> bool:
    """Some pending pod's scheduler message names cordoned (unschedulable) nodes."""
    return any(
        c.get("type") == "PodScheduled"
        and c.get("reason") == "Unschedulable"
        and "unschedulable" in str(c.get("message", ""))
        for pod in view.pods
        for c in (pod.get("status") or {}).get("conditions") or []
    )


def _uncordon(view: NamespaceView, node: Json, waiting: list[str]) -> FixPlan | None:
    healthy = _condition(node, "Ready").get("status") == "True" and not any(
        _condition(node, p).get("status") == "True" for p in PRESSURES
    )
    if not (waiting and healthy and _cordon_blocks(view)):
        return None
    return object_plan(node, KIND, PROBLEMS[2], UncordonNode())


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
            plan = _uncordon(view, node, waiting)
            findings.append(Finding(key, PROBLEMS[2], evidence, severity, plan=plan))
    return findings
