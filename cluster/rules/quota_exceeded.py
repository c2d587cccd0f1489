"""The ReplicaSet cannot create pods because a ResourceQuota is exhausted."""

from __future__ import annotations

from cluster.finding import Finding
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "quota_exceeded"


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    refusals = [
        e
        for e in snapshot.events_for("ReplicaSet", reason="FailedCreate")
        if "exceeded quota" in str(e.get("message", ""))
    ]
    if not refusals:
        return []
    latest = max(refusals, key=lambda e: str(e.get("lastTimestamp") or ""))
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
