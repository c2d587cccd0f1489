"""What stops a pod before its main containers: volumes whose ConfigMap/Secret (or key) is
missing (FailedMount) and init containers, run one after another, that fail."""

from __future__ import annotations

from typing import Any

from sandbox.cluster.world import Obj, World

__all__ = ["pod_blocker"]


def _mount_problem(world: World, pod: Obj) -> tuple[str, str] | None:
    namespace = pod["metadata"]["namespace"]
    for volume in pod["spec"].get("volumes") or []:
        for field, kind, name_field in (
            ("configMap", "configmap", "name"),
            ("secret", "secret", "secretName"),
        ):
            source = volume.get(field)
            if not source or source.get("optional"):
                continue
            plural = "configmaps" if kind == "configmap" else "secrets"
            obj = world.get(plural, namespace, str(source.get(name_field)))
            if obj is None:
                message = (
                    f'MountVolume.SetUp failed for volume "{volume["name"]}" : '
                    f'{kind} "{source.get(name_field)}" not found'
                )
                return volume["name"], message
            data = obj.get("data") or {}
            for item in source.get("items") or []:
                if item.get("key") not in data:
                    message = (
                        f'MountVolume.SetUp failed for volume "{volume["name"]}" : '
                        f"{kind} references non-existent config key: {item.get('key')}"
                    )
                    return volume["name"], message
    return None


def _waiting(pod: Obj, reason: str) -> list[dict[str, Any]]:
    return [
        {
            "name": c["name"],
            "image": c["image"],
            "imageID": "",
            "ready": False,
            "started": False,
            "restartCount": 0,
            "state": {"waiting": {"reason": reason}},
        }
        for c in pod["spec"]["containers"]
    ]


def _pending(pod: Obj, run: Any, reason: str, message: str, **extra: Any) -> dict[str, Any]:
    return {
        "phase": "Pending",
        "conditions": [
            {"type": "PodScheduled", "status": "True"},
            {"type": "Initialized", "status": "False", "reason": reason, "message": message},
            {"type": "Ready", "status": "False", "reason": "ContainersNotReady"},
        ],
        "hostIP": run.host_ip,
        "podIP": run.ip,
        "startTime": pod["metadata"]["creationTimestamp"],
        "qosClass": pod["status"].get("qosClass", "Burstable"),
        **extra,
    }


def _init_statuses(world: World, pod: Obj, run: Any) -> tuple[list[dict[str, Any]], bool]:
    """Init containers' statuses and whether all of them completed. A failing image
    (``exit_code`` set, non-zero) crash-loops; others complete after ``start_seconds``."""
    statuses: list[dict[str, Any]] = []
    done = True
    for spec in pod["spec"].get("initContainers") or []:
        state = run.init.setdefault(spec["name"], {"since": world.clock, "restarts": 0})
        how = world.image(spec["image"])
        base = {"name": spec["name"], "image": spec["image"], "imageID": "", "ready": False}
        if not done:
            statuses.append(
                {**base, "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}
            )
            continue
        elapsed = world.clock - state["since"]
        if how is not None and how.exit_code and elapsed >= how.start_seconds:
            state["restarts"] = int(elapsed // max(how.start_seconds, 1))
            message = (
                f"back-off restarting failed container={spec['name']} pod={pod['metadata']['name']}"
            )
            world.event(
                pod,
                "BackOff",
                f"Back-off restarting failed container {spec['name']} "
                f"in pod {pod['metadata']['name']}",
                warning=True,
            )
            statuses.append(
                {
                    **base,
                    "restartCount": state["restarts"],
                    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": message}},
                    "lastState": {"terminated": {"reason": "Error", "exitCode": how.exit_code}},
                }
            )
            done = False
        elif how is None or elapsed < (how.start_seconds if how else 0):
            statuses.append(
                {**base, "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}
            )
            done = False
        else:
            ended = {"reason": "Completed", "exitCode": 0}
            statuses.append(
                {**base, "ready": True, "restartCount": 0, "state": {"terminated": ended}}
            )
    return statuses, done


def pod_blocker(world: World, pod: Obj, run: Any) -> dict[str, Any] | None:
    """The pod's status while mounts or init containers hold it back; None once its main
    containers may run."""
    mount = _mount_problem(world, pod)
    if mount is not None:
        world.event(pod, "FailedMount", mount[1], warning=True)
        return _pending(
            pod,
            run,
            "ContainersNotInitialized",
            "volumes not mounted",
            containerStatuses=_waiting(pod, "ContainerCreating"),
        )
    if not pod["spec"].get("initContainers"):
        return None
    if not hasattr(run, "init"):
        run.init = {}
    statuses, done = _init_statuses(world, pod, run)
    if done:
        return None
    names = ", ".join(s["name"] for s in statuses if not s["ready"])
    return _pending(
        pod,
        run,
        "ContainersNotInitialized",
        f"containers with incomplete status: [{names}]",
        initContainerStatuses=statuses,
        containerStatuses=_waiting(pod, "PodInitializing"),
    )
