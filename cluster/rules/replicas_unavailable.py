"""Fewer replicas are available than the workload asks for (a DaemonSet: than nodes it
should run on)."""

from __future__ import annotations

from cluster.finding import Finding, Severity
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "replicas_unavailable"


def _counts(snapshot: WorkloadSnapshot) -> tuple[int, int, int, int]:
    """(desired, available, ready, updated) whatever the owner kind."""
    status = snapshot.status
    if snapshot.kind == "DaemonSet":
        return (
            int(status.get("desiredNumberScheduled") or 0),
            int(status.get("numberAvailable") or 0),
            int(status.get("numberReady") or 0),
            int(status.get("updatedNumberScheduled") or 0),
        )
    return (
        int(snapshot.deployment["spec"].get("replicas", 1)),
        int(status.get("availableReplicas") or 0),
        int(status.get("readyReplicas") or 0),
        int(status.get("updatedReplicas") or 0),
    )


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    desired, available, ready, updated = _counts(snapshot)
    if desired == 0 or available >= desired:
        return []
    evidence = {
        "desired": str(desired),
        "available": str(available),
        "ready": str(ready),
        "updated": str(updated),
    }
    severity: Severity = "critical" if available == 0 else "warning"
    return [Finding(snapshot.key, PROBLEM, evidence, severity)]
