"""A container was killed for exceeding its memory limit: propose a higher limit."""

from __future__ import annotations

import math

from cluster.finding import Finding
from cluster.plans import PatchResources
from cluster.quantity import format_memory, parse_memory
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "oom_killed"
_STEP = 64 * 2**20  # round proposals up to 64Mi


def proposed_limit(limit_bytes: float, usage_bytes: float | None) -> str:
    """Twice the old limit, or 1.5 × observed use if that is more, rounded up to 64Mi."""
    wanted = max(limit_bytes * 2, (usage_bytes or 0) * 1.5)
    return format_memory(math.ceil(wanted / _STEP) * _STEP)


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    findings: dict[str, Finding] = {}
    for pod, status in snapshot.container_statuses():
        name = status["name"]
        last = (status.get("lastState") or {}).get("terminated") or {}
        now = (status.get("state") or {}).get("terminated") or {}
        if "OOMKilled" not in (last.get("reason"), now.get("reason")) or name in findings:
            continue
        spec = snapshot.container(name) or {}
        limit = ((spec.get("resources") or {}).get("limits") or {}).get("memory")
        usage = snapshot.usage.get(name) if snapshot.usage else None
        evidence = {
            "pod": pod["metadata"]["name"],
            "restarts": str(status.get("restartCount", 0)),
            "memory_limit": limit or "none",
            "memory_usage": format_memory(usage.memory_bytes) if usage else "unknown",
            "log_tail": snapshot.previous_logs.get(f"{pod['metadata']['name']}/{name}", ""),
        }
        plan = None
        if limit is not None:
            new_limit = proposed_limit(parse_memory(limit), usage.memory_bytes if usage else None)
            plan = snapshot.plan(PROBLEM, PatchResources(name, limits={"memory": new_limit}))
        findings[name] = Finding(snapshot.key, PROBLEM, evidence, "critical", name, plan)
    return list(findings.values())
