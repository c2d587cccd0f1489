"""Pods stay Pending: no node has room for their requests (or none could ever fit them)."""

from __future__ import annotations

import math

from cluster.finding import Finding
from cluster.plans import PatchResources
from cluster.quantity import format_cpu, format_memory, parse_cpu, parse_memory
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "pods_unschedulable"


def _pod_requests(snapshot: WorkloadSnapshot) -> tuple[float, float]:
    cpu = memory = 0.0
    for container in snapshot.containers:
        requests = (container.get("resources") or {}).get("requests") or {}
        cpu += parse_cpu(requests.get("cpu", "0"))
        memory += parse_memory(requests.get("memory", "0"))
    return cpu, memory


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    stuck = [
        (pod, condition)
        for pod in snapshot.pods
        for condition in (pod.get("status") or {}).get("conditions") or []
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "Unschedulable"
    ]
    if not stuck:
        return []
    cpu, memory = _pod_requests(snapshot)
    allocatable = [(n.get("status") or {}).get("allocatable") or {} for n in snapshot.nodes]
    node_cpu = max((parse_cpu(a.get("cpu", "0")) for a in allocatable), default=0.0)
    node_memory = max((parse_memory(a.get("memory", "0")) for a in allocatable), default=0.0)
    never_fits = cpu > node_cpu or memory > node_memory
    evidence = {
        "pods": str(len(stuck)),
        "message": str(stuck[0][1].get("message", "")),
        "cpu_request": format_cpu(cpu),
        "memory_request": format_memory(memory),
        "largest_node_cpu": format_cpu(node_cpu),
        "largest_node_memory": format_memory(node_memory),
        "never_fits": str(never_fits).lower(),
    }
    plan = None
    containers = snapshot.containers
    if never_fits and snapshot.usage and len(containers) == 1:
        # Only with observed use do we know what a smaller request can safely be.
        usage = snapshot.usage.get(containers[0]["name"])
        if usage is not None:
            requests = {
                "cpu": format_cpu(max(10.0, math.ceil(usage.cpu_millicores * 1.2))),
                "memory": format_memory(max(32 * 2**20, usage.memory_bytes * 1.2)),
            }
            fix = PatchResources(containers[0]["name"], requests=requests)
            plan = snapshot.plan(PROBLEM, fix)
    return [Finding(snapshot.key, PROBLEM, evidence, "critical", None, plan)]
