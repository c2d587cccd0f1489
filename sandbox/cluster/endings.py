"""Ending a pod for good (a Job's pod that exited, an evicted pod): terminal phase, the
containers terminated, and no kubelet state left, so nothing runs it again."""

from __future__ import annotations

from sandbox.cluster.world import Obj, World

__all__ = ["finish_pod"]


def finish_pod(world: World, pod: Obj, phase: str, reason: str = "", message: str = "") -> Obj:
    """Mark a pod ended: its containers terminated, the kubelet leaves it alone."""

    def end(new: Obj) -> None:
        status = new.setdefault("status", {})
        status["phase"] = phase
        if reason:
            status.update(reason=reason, message=message)
        for container in status.get("containerStatuses") or []:
            last = (container.get("lastState") or {}).get("terminated")
            container["state"] = {"terminated": last or {"exitCode": 137, "reason": reason}}
            container["ready"] = False
        status["conditions"] = [
            {"type": "Ready", "status": "False", "reason": "PodCompleted"},
        ]

    world.runtime.pop(pod["metadata"]["uid"], None)
    return world.update(pod, end)
