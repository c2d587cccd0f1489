"""An image cannot be pulled (ImagePullBackOff/ErrImagePull): roll back if possible."""

from __future__ import annotations

from cluster.finding import Finding
from cluster.plans import RollbackToPrevious
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "image_pull_failed"
_REASONS = {"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"}


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    findings: dict[str, Finding] = {}
    for pod, status in snapshot.container_statuses():
        waiting = (status.get("state") or {}).get("waiting") or {}
        name = status["name"]
        if waiting.get("reason") not in _REASONS or name in findings:
            continue
        evidence = {
            "pod": pod["metadata"]["name"],
            "image": str(status.get("image", "")),
            "reason": str(waiting["reason"]),
            "message": str(waiting.get("message", "")),
        }
        previous = snapshot.previous_revision()
        # Image changes are never proposed; returning to a revision that ran is.
        plan = snapshot.plan(PROBLEM, RollbackToPrevious(previous)) if previous else None
        findings[name] = Finding(snapshot.key, PROBLEM, evidence, "critical", name, plan)
    return list(findings.values())
