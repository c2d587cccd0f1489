"""The rollout exceeded its progress deadline: propose returning to the previous revision."""

from __future__ import annotations

from cluster.finding import Finding
from cluster.plans import RollbackToPrevious
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "rollout_stuck"


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    progressing = snapshot.condition("Progressing")
    if not progressing or progressing.get("reason") != "ProgressDeadlineExceeded":
        return []
    status = snapshot.status
    evidence = {
        "message": str(progressing.get("message", "")),
        "revision": str(snapshot.revision),
        "desired": str(snapshot.deployment["spec"].get("replicas", 1)),
        "updated": str(status.get("updatedReplicas", 0)),
        "ready": str(status.get("readyReplicas", 0)),
    }
    previous = snapshot.previous_revision()
    plan = snapshot.plan(PROBLEM, RollbackToPrevious(previous)) if previous else None
    return [Finding(snapshot.key, PROBLEM, evidence, "critical", None, plan)]
