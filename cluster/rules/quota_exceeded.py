"""Pods cannot be created because a ResourceQuota is exhausted (FailedCreate events on the
ReplicaSet, or on the StatefulSet/DaemonSet that creates pods itself)."""

from __future__ import annotations

from cluster.finding import Finding
from cluster.snapshot import Json, WorkloadSnapshot

PROBLEM = "quota_exceeded"


def refusals(snapshot: WorkloadSnapshot, marker: str) -> list[Json]:
    """FailedCreate events of the pod creator whose message contains ``marker``."""
    creator = "ReplicaSet" if snapshot.kind == "Deployment" else snapshot.kind
    return [
        e
        for e in snapshot.events_for(creator, reason="FailedCreate")
        if marker in str(e.get("message", ""))
    ]


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    found = refusals(snapshot, "exceeded quota")
    if not found:
        return []
    latest = max(found, key=lambda e: str(e.get("lastTimestamp") or ""))
    message = str(latest["message"])
    quota = (
        message.split("exceeded quota: ", 1)[1].split(",", 1)[0]
        if "exceeded quota: " in message
        else ""
    )
    evidence = {
        "replica_set": str(latest["involvedObject"].get("name", "")),
        "quota": quota,
        "message": message,
    }
    return [Finding(snapshot.key, PROBLEM, evidence, "critical")]
