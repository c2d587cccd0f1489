"""Read a Deployment's rollout state from its status, as ``kubectl rollout status`` does."""

from __future__ import annotations

from typing import Any, Literal

__all__ = ["RolloutState", "rollout_state"]

RolloutState = Literal["ready", "failed", "progressing"]


def rollout_state(deployment: dict[str, Any]) -> RolloutState:
    status = deployment.get("status") or {}
    if int(status.get("observedGeneration") or 0) < int(
        deployment["metadata"].get("generation") or 0
    ):
        return "progressing"  # the controller has not seen the change yet
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
