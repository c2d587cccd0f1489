"""Requests far above observed use: reserved capacity nobody uses. Needs usage data."""

from __future__ import annotations

import math

from cluster.finding import Finding
from cluster.plans import PatchResources
from cluster.quantity import format_cpu, format_memory, parse_cpu, parse_memory
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "requests_above_usage"
RATIO = 4.0  # request ≥ 4 × use ...
MIN_CPU_WASTE = 100.0  # ... and at least 100m
MIN_MEMORY_WASTE = 128 * 2.0**20  # ... or 128Mi unused
HEADROOM = 1.5


def proposed_cpu(usage_millicores: float) -> str:
    """1.5 × use, rounded up to 10m, at least 10m."""
    return format_cpu(max(10, math.ceil(usage_millicores * HEADROOM / 10) * 10))


def proposed_memory(usage_bytes: float) -> str:
    """1.5 × use, rounded up to 16Mi, at least 32Mi."""
    step = 16 * 2**20
    return format_memory(max(32 * 2**20, math.ceil(usage_bytes * HEADROOM / step) * step))


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    if not snapshot.usage:
        return []
    findings: list[Finding] = []
    for container in snapshot.containers:
        usage = snapshot.usage.get(container["name"])
        requests = (container.get("resources") or {}).get("requests") or {}
        if usage is None or not requests:
            continue
        lower: dict[str, str] = {}
        cpu = parse_cpu(requests["cpu"]) if "cpu" in requests else None
        if (
            cpu is not None
            and cpu >= RATIO * usage.cpu_millicores
            and cpu - usage.cpu_millicores >= MIN_CPU_WASTE
        ):
            lower["cpu"] = proposed_cpu(usage.cpu_millicores)
        memory = parse_memory(requests["memory"]) if "memory" in requests else None
        if (
            memory is not None
            and memory >= RATIO * usage.memory_bytes
            and memory - usage.memory_bytes >= MIN_MEMORY_WASTE
        ):
            lower["memory"] = proposed_memory(usage.memory_bytes)
        if not lower:
            continue
        evidence = {
            "cpu_request": requests.get("cpu", "none"),
            "cpu_usage": format_cpu(usage.cpu_millicores),
            "memory_request": requests.get("memory", "none"),
            "memory_usage": format_memory(usage.memory_bytes),
        }
        plan = snapshot.plan(PROBLEM, PatchResources(container["name"], requests=lower))
        findings.append(Finding(snapshot.key, PROBLEM, evidence, "info", container["name"], plan))
    return findings
