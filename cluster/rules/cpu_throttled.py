"""A container runs at its CPU limit: it is being throttled. Needs usage data."""

from __future__ import annotations

import math

from cluster.finding import Finding
from cluster.plans import PatchResources
from cluster.quantity import format_cpu, parse_cpu
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "cpu_throttled"
AT_LIMIT = 0.9  # use ≥ 90% of the limit counts as throttled
FACTOR = 4  # proposed limit = 4 × the old one, rounded up to 50m


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    if not snapshot.usage:
        return []
    findings: list[Finding] = []
    for container in snapshot.containers:
        usage = snapshot.usage.get(container["name"])
        limit = ((container.get("resources") or {}).get("limits") or {}).get("cpu")
        if usage is None or limit is None:
            continue
        limit_m = parse_cpu(limit)
        if limit_m <= 0 or usage.cpu_millicores < AT_LIMIT * limit_m:
            continue
        evidence = {
            "cpu_limit": limit,
            "cpu_usage": format_cpu(usage.cpu_millicores),
            "percent": str(round(100 * usage.cpu_millicores / limit_m)),
        }
        new_limit = format_cpu(math.ceil(limit_m * FACTOR / 50) * 50)
        plan = snapshot.plan(PROBLEM, PatchResources(container["name"], limits={"cpu": new_limit}))
        findings.append(
            Finding(snapshot.key, PROBLEM, evidence, "warning", container["name"], plan)
        )
    return findings
