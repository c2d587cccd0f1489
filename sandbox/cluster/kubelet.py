"""Pods' life: scheduling, image pulls, config checks, starts, crashes, probes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from cluster.quantity import parse_memory
from sandbox.cluster.podsetup import pod_blocker
from sandbox.cluster.probes import probe_failure
from sandbox.cluster.scheduling import schedule
from sandbox.cluster.world import ImageBehaviour, Obj, World, clone

__all__ = ["ContainerRun", "PodRun", "new_pod", "is_ready", "run_kubelet"]


@dataclass
class ContainerRun:
    restarts: int = 0
    started_at: float | None = None
    next_start: float = 0.0
    ever_started: bool = False
    pull_attempts: int = 0
    last_termination: dict[str, Any] | None = None
    log: list[str] = field(default_factory=list)
    previous_log: list[str] = field(default_factory=list)


@dataclass
class PodRun:
    node: str | None = None
    ip: str = ""
    host_ip: str = ""
    containers: dict[str, ContainerRun] = field(default_factory=dict)


def new_pod(world: World, replica_set: Obj, owner: dict[str, Any]) -> Obj:
    template = clone(replica_set["spec"]["template"])
    meta = template.get("metadata", {})
    return {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {
            "name": f"{replica_set['metadata']['name']}-{world.suffix()}",
            "namespace": replica_set["metadata"]["namespace"],
            "labels": dict(meta.get("labels", {})),
            "annotations": dict(meta.get("annotations", {})),
            "ownerReferences": [owner],
        },
        "spec": template["spec"],
        "status": {"phase": "Pending", "qosClass": "Burstable"},
    }


def is_ready(pod: Obj) -> bool:
    conditions = pod.get("status", {}).get("conditions", [])
    return any(c["type"] == "Ready" and c["status"] == "True" for c in conditions)


def run_kubelet(world: World) -> None:
    for pod in world.items("pods"):
        if pod["status"].get("phase") in ("Failed", "Succeeded"):
            continue  # ended (a Job's pod, an evicted pod): nothing runs any more
        run = world.runtime.setdefault(pod["metadata"]["uid"], PodRun())
        if run.node is None:
            node, message = schedule(world, pod)
            if node is None:
                world.event(pod, "FailedScheduling", message, warning=True)
                world.set_field(pod, "status", _unscheduled(pod, message))
                continue
            run.node, run.host_ip = node["metadata"]["name"], _address(node)
            run.ip = f"10.244.{world.serial() % 250}.{world.serial() % 250 + 2}"
            world.event(pod, "Scheduled", f"Successfully assigned {_key(pod)} to {run.node}")
        blocked = pod_blocker(world, pod, run)  # missing volume sources, init containers
        if blocked is not None:
            world.set_field(pod, "status", blocked)
            continue
        statuses = [_container(world, pod, run, spec) for spec in pod["spec"]["containers"]]
        world.set_field(pod, "status", _status(world, pod, run, statuses))


def _key(pod: Obj) -> str:
    return f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"


def _address(node: Obj) -> str:
    addresses = node.get("status", {}).get("addresses", [])
    return next((a["address"] for a in addresses if a.get("type") == "InternalIP"), "10.0.0.1")


def _unscheduled(pod: Obj, message: str) -> dict[str, Any]:
    condition = {"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}
    return {**pod["status"], "phase": "Pending", "conditions": [{**condition, "message": message}]}


def _container(world: World, pod: Obj, run: PodRun, spec: Obj) -> dict[str, Any]:
    name, image = spec["name"], spec["image"]
    state = run.containers.setdefault(name, ContainerRun(next_start=world.clock))
    base = {"name": name, "image": image, "imageID": "", "restartCount": state.restarts}
    base.update({"ready": False, "started": False})
    if state.last_termination:
        base["lastState"] = {"terminated": state.last_termination}
    problem = _config_problem(world, pod["metadata"]["namespace"], spec)
    if problem:
        world.event(pod, "Failed", f"Error: {problem}", warning=True)
        return {**base, "state": _waiting("CreateContainerConfigError", problem)}
    behaviour = world.image(image)
    if behaviour is None:
        return {**base, "state": _pull_failed(world, pod, state, image)}
    base["imageID"] = f"docker.io/{image}@sha256:{hashlib.sha256(image.encode()).hexdigest()}"
    if state.started_at is None:
        if world.clock < state.next_start:
            reason = "CrashLoopBackOff" if state.restarts else "ContainerCreating"
            return {**base, "state": _waiting(reason, _backoff_message(pod, name, state))}
        _start(world, pod, state, name, image, behaviour)
    started_at = state.started_at if state.started_at is not None else world.clock
    running_for = world.clock - started_at
    termination = _termination(spec, behaviour, running_for, run)
    if termination is not None:
        _terminate(world, pod, state, name, *termination)
        base["restartCount"] = state.restarts
        base["lastState"] = {"terminated": state.last_termination}
        return {**base, "state": _waiting("CrashLoopBackOff", _backoff_message(pod, name, state))}
    ready = running_for >= behaviour.start_seconds
    probe = spec.get("readinessProbe")
    if probe and running_for >= probe.get("initialDelaySeconds", 0):
        failure = probe_failure(probe, spec, behaviour, run.ip)
        if failure:
            world.event(pod, "Unhealthy", f"Readiness probe failed: {failure}", warning=True)
            ready = False
    elif probe:
        ready = False
    running = {"running": {"startedAt": world.at(started_at)}}
    return {**base, "ready": ready, "started": True, "state": running}


def _waiting(reason: str, message: str) -> dict[str, Any]:
    return {"waiting": {"reason": reason, "message": message}}


def _backoff_message(pod: Obj, name: str, state: ContainerRun) -> str:
    if not state.restarts:
        return ""
    seconds = _backoff(state.restarts)
    return f"back-off {seconds}s restarting failed container={name} pod={pod['metadata']['name']}"


def _backoff(restarts: int) -> int:
    return min(300, 10 * 2 ** max(0, restarts - 1))


def _pull_failed(world: World, pod: Obj, state: ContainerRun, image: str) -> dict[str, Any]:
    state.pull_attempts += 1
    if state.pull_attempts == 1:
        world.event(pod, "Pulling", f'Pulling image "{image}"')
        detail = (
            f'Failed to pull image "{image}": rpc error: code = NotFound desc = failed to '
            f'pull and unpack image "{image}": not found'
        )
        world.event(pod, "Failed", detail, warning=True)
        world.event(pod, "Failed", "Error: ErrImagePull", warning=True)
        return _waiting("ErrImagePull", detail)
    message = f'Back-off pulling image "{image}"'
    world.event(pod, "BackOff", message)
    world.event(pod, "Failed", "Error: ImagePullBackOff", warning=True)
    return _waiting("ImagePullBackOff", message)


def _start(
    world: World, pod: Obj, state: ContainerRun, name: str, image: str, how: ImageBehaviour
) -> None:
    if not state.ever_started:
        world.event(pod, "Pulled", f'Successfully pulled image "{image}"')
    state.started_at, state.ever_started = world.clock, True
    state.log = [f"{world.now()} {line}" for line in how.log]
    world.event(pod, "Created", f"Created container: {name}")
    world.event(pod, "Started", f"Started container {name}")


def _termination(
    spec: Obj, how: ImageBehaviour, running_for: float, run: PodRun
) -> tuple[str, int, str | None] | None:
    limit = (spec.get("resources") or {}).get("limits", {}).get("memory")
    if limit is not None and parse_memory(limit) < how.memory_mi * 2**20 and running_for >= 1:
        return "OOMKilled", 137, None
    if how.exit_code is not None and running_for >= how.start_seconds:
        return "Error", how.exit_code, None
    probe = spec.get("livenessProbe")
    if probe:
        allowed = probe.get("initialDelaySeconds", 0) + probe.get("periodSeconds", 10) * probe.get(
            "failureThreshold", 3
        )
        failure = probe_failure(probe, spec, how, run.ip)
        if failure and running_for >= allowed:
            return "Error", 137, f"Liveness probe failed: {failure}"
    return None


def _terminate(
    world: World, pod: Obj, state: ContainerRun, name: str, reason: str, code: int, why: str | None
) -> None:
    if why:
        world.event(pod, "Unhealthy", why, warning=True)
        world.event(pod, "Killing", f"Container {name} failed liveness probe, will be restarted")
    started = state.started_at if state.started_at is not None else world.clock
    state.last_termination = {
        "exitCode": code,
        "reason": reason,
        "startedAt": world.at(started),
        "finishedAt": world.now(),
    }
    state.previous_log = state.log + (["Killed"] if reason == "OOMKilled" else [])
    state.log, state.started_at = [], None
    state.restarts += 1
    state.next_start = world.clock + _backoff(state.restarts)
    message = f"Back-off restarting failed container {name} in pod {pod['metadata']['name']}"
    world.event(pod, "BackOff", message, warning=True)


def _config_problem(world: World, namespace: str, spec: Obj) -> str | None:
    refs: list[tuple[str, str, str | None, bool]] = []
    for env in spec.get("env") or []:
        source = env.get("valueFrom") or {}
        for field_name, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            if field_name in source:
                ref = source[field_name]
                refs.append((kind, ref["name"], ref["key"], bool(ref.get("optional"))))
    for env_from in spec.get("envFrom") or []:
        for field_name, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            if field_name in env_from:
                ref = env_from[field_name]
                refs.append((kind, ref["name"], None, bool(ref.get("optional"))))
    for kind, name, key, optional in refs:
        plural = "configmaps" if kind == "ConfigMap" else "secrets"
        obj = world.get(plural, namespace, name)
        if obj is None and not optional:
            return f'{kind.lower()} "{name}" not found'
        missing_key = obj is not None and key is not None and key not in (obj.get("data") or {})
        if missing_key and not optional:
            return f"couldn't find key {key} in {kind} {namespace}/{name}"
    return None


def _status(world: World, pod: Obj, run: PodRun, statuses: list[dict[str, Any]]) -> dict[str, Any]:
    states = run.containers.values()
    started = all(s.ever_started for s in states)
    ready = all(s["ready"] for s in statuses)
    flag = "True" if ready else "False"
    conditions = [
        {"type": "PodScheduled", "status": "True"},
        {"type": "Initialized", "status": "True"},
        {"type": "ContainersReady", "status": flag},
        {"type": "Ready", "status": flag},
    ]
    if not ready:
        names = ", ".join(s["name"] for s in statuses if not s["ready"])
        for condition in conditions[2:]:
            condition["reason"] = "ContainersNotReady"
            condition["message"] = f"containers with unready status: [{names}]"
    return {
        "phase": "Running" if started else "Pending",
        "conditions": conditions,
        "hostIP": run.host_ip,
        "podIP": run.ip,
        "startTime": pod["metadata"]["creationTimestamp"],
        "containerStatuses": statuses,
        "qosClass": pod["status"].get("qosClass", "Burstable"),
    }
