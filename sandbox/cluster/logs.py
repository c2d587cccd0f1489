"""pods/log: the current or previous container's output, as kubelet serves it."""

from __future__ import annotations

from typing import Any

from sandbox.cluster.world import Obj, World

__all__ = ["LogError", "pod_log"]


class LogError(ValueError):
    """The API server's 400 answer (no container named, nothing to show...)."""


def pod_log(
    world: World, pod: Obj, container: str | None, *, previous: bool, tail: int | None
) -> str:
    names = [c["name"] for c in pod["spec"]["containers"]]
    pod_name = pod["metadata"]["name"]
    if container is None:
        if len(names) != 1:
            raise LogError(
                f"a container name must be specified for pod {pod_name}, "
                f"choose one of: [{' '.join(names)}]"
            )
        container = names[0]
    if container not in names:
        raise LogError(f"container {container} is not valid for pod {pod_name}")
    run: Any = world.runtime.get(pod["metadata"]["uid"])
    state = run.containers.get(container) if run is not None else None
    if previous:
        if state is None or not state.restarts:
            raise LogError(
                f'previous terminated container "{container}" in pod "{pod_name}" not found'
            )
        lines = state.previous_log
    else:
        if state is None or state.started_at is None:
            reason = (
                "CrashLoopBackOff" if state is not None and state.restarts else "ContainerCreating"
            )
            raise LogError(
                f'container "{container}" in pod "{pod_name}" is waiting to start: {reason}'
            )
        lines = state.log
    if tail is not None:
        lines = lines[-tail:] if tail > 0 else []
    return "".join(f"{line}\n" for line in lines)
