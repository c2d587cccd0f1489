"""Plain API-JSON fixtures for rule tests: small, explicit, no cluster needed."""

from __future__ import annotations

from typing import Any

from cluster.snapshot import ContainerUsage, WorkloadSnapshot

Json = dict[str, Any]


def probe(
    path: str = "/ready", port: int = 8080, period: int = 10, failure: int = 3, delay: int = 5
) -> Json:
    return {
        "httpGet": {"path": path, "port": port},
        "periodSeconds": period,
        "failureThreshold": failure,
        "initialDelaySeconds": delay,
        "timeoutSeconds": 1,
    }


def container(
    name: str = "app",
    *,
    port: int | None = 8080,
    readiness: Json | None = None,
    liveness: Json | None = None,
    requests: dict[str, str] | None = None,
    limits: dict[str, str] | None = None,
) -> Json:
    spec: Json = {"name": name, "image": f"example/{name}:1.0"}
    if port is not None:
        spec["ports"] = [{"containerPort": port}]
    if readiness is not None:
        spec["readinessProbe"] = readiness
    if liveness is not None:
        spec["livenessProbe"] = liveness
    spec["resources"] = {k: v for k, v in (("requests", requests), ("limits", limits)) if v}
    return spec


def healthy_container(name: str = "app") -> Json:
    """Probes with sane timing, modest requests and limits."""
    return container(
        name,
        readiness=probe("/ready"),
        liveness=probe("/healthz", delay=10),
        requests={"cpu": "100m", "memory": "128Mi"},
        limits={"cpu": "500m", "memory": "256Mi"},
    )


def deployment(
    containers: list[Json] | None = None,
    *,
    name: str = "web",
    replicas: int = 2,
    ready: int | None = None,
    revision: int = 1,
    conditions: list[Json] | None = None,
) -> Json:
    ready = replicas if ready is None else ready
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": name,
            "namespace": "shop",
            "uid": f"uid-{name}",
            "resourceVersion": "42",
            "generation": 1,
            "annotations": {"deployment.kubernetes.io/revision": str(revision)},
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": containers or [healthy_container()]},
            },
        },
        "status": {
            "observedGeneration": 1,
            "replicas": replicas,
            "updatedReplicas": replicas,
            "readyReplicas": ready,
            "availableReplicas": ready,
            "conditions": conditions or [],
        },
    }


def replica_set(revision: int, template: Json, name: str = "web") -> Json:
    return {
        "metadata": {
            "name": f"{name}-rev{revision}",
            "namespace": "shop",
            "uid": f"uid-rs-{revision}",
            "annotations": {"deployment.kubernetes.io/revision": str(revision)},
            "ownerReferences": [{"uid": f"uid-{name}", "kind": "Deployment", "name": name}],
        },
        "spec": {"replicas": 1, "template": template},
    }


def status(
    name: str = "app",
    *,
    ready: bool = True,
    restarts: int = 0,
    waiting: str | None = None,
    message: str = "",
    last_reason: str | None = None,
    exit_code: int = 1,
) -> Json:
    state: Json = (
        {"waiting": {"reason": waiting, "message": message}} if waiting else {"running": {}}
    )
    out: Json = {
        "name": name,
        "image": f"example/{name}:1.0",
        "imageID": "",
        "ready": ready,
        "restartCount": restarts,
        "state": state,
    }
    if last_reason:
        out["lastState"] = {"terminated": {"reason": last_reason, "exitCode": exit_code}}
    return out


def pod(
    name: str = "web-abc",
    *statuses: Json,
    conditions: list[Json] | None = None,
    phase: str = "Running",
) -> Json:
    return {
        "metadata": {
            "name": name,
            "namespace": "shop",
            "uid": f"uid-{name}",
            "labels": {"app": "web"},
        },
        "status": {
            "phase": phase,
            "conditions": conditions or [],
            "containerStatuses": list(statuses) or [status()],
        },
    }


def event(kind: str, name: str, reason: str, message: str, count: int = 1) -> Json:
    return {
        "metadata": {"name": f"{name}.1"},
        "involvedObject": {"kind": kind, "name": name, "uid": f"uid-{name}"},
        "reason": reason,
        "message": message,
        "count": count,
        "lastTimestamp": "2025-01-01T00:00:00Z",
    }


def node(cpu: str = "4", memory: str = "8Gi") -> Json:
    return {"metadata": {"name": "n1"}, "status": {"allocatable": {"cpu": cpu, "memory": memory}}}


def usage(cpu_m: float, memory_mi: float) -> ContainerUsage:
    return ContainerUsage(cpu_millicores=cpu_m, memory_bytes=memory_mi * 2**20)


def snap(dep: Json | None = None, **parts: Any) -> WorkloadSnapshot:
    tuples = ("replica_sets", "pods", "events", "nodes", "quotas", "services", "endpoints", "hpas")
    fixed = {k: tuple(v) if k in tuples else v for k, v in parts.items()}
    return WorkloadSnapshot(deployment=dep or deployment(), **fixed)
