"""Fewer replicas are available than the Deployment asks for."""

from __future__ import annotations

from cluster.finding import Finding, Severity
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "replicas_unavailable"


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    desired = int(snapshot.deployment["spec"].get("replicas", 1))
    status = snapshot.status
    available = int(status.get("availableReplicas") or 0)
    if desired == 0 or available >= desired:
        return []
    evidence = {
        "desired": str(desired),
        "available": str(available),
        "ready": str(status.get("readyReplicas") or 0),
        "updated": str(status.get("updatedReplicas") or 0),
    }
    severity: Severity = "critical" if available == 0 else "warning"
    return [Finding(snapshot.key, PROBLEM, evidence, severity)]
