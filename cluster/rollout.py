"""Read a Deployment's rollout state from its status, as ``kubectl rollout status`` does."""

from __future__ import annotations

from typing import Any, Literal

__all__ = ["RolloutState", "rollout_state"]

RolloutState = Literal["ready", "failed", "progressing"]


def rollout_state(deployment: dict[str, Any]) -> RolloutState:
    """For a Deployment, or (``kind`` set) a StatefulSet or DaemonSet."""
    status = deployment.get("status") or {}
    if int(status.get("observedGeneration") or 0) < int(
        deployment["metadata"].get("generation") or 0
    ):
        return "progressing"  # the controller has not seen the change yet
    kind = deployment.get("kind")
    if kind == "DaemonSet":
        desired = int(status.get("desiredNumberScheduled") or 0)
        done = [status.get(k) or 0 for k in ("updatedNumberScheduled", "numberAvailable")]
        return "ready" if all(count == desired for count in done) else "progressing"
    if kind == "StatefulSet":
        wanted = int(deployment["spec"].get("replicas", 1))
        done = [status.get(k) or 0 for k in ("updatedReplicas", "replicas", "readyReplicas")]
        return "ready" if all(count == wanted for count in done) else "progressing"
    for condition in status.get("conditions") or []:
        if (
            condition.get("type") == "Progressing"
            and condition.get("reason") == "ProgressDeadlineExceeded"
        ):
            return "failed"
    desired = int(deployment["spec"].get("replicas", 1))
    counts = [
        status.get(k) or 0
        for k in ("updatedReplicas", "replicas", "readyReplicas", "availableReplicas")
    ]
    return "ready" if all(count == desired for count in counts) else "progressing"
