"""Small builders for the objects a simulated world starts with."""

from __future__ import annotations

import base64
from typing import Any

from sandbox.cluster.world import Obj

__all__ = [
    "http_probe",
    "container",
    "deployment",
    "service",
    "node",
    "quota",
    "configmap",
    "secret",
    "hpa",
]


def http_probe(
    path: str,
    port: int | str,
    *,
    period: int = 10,
    failure: int = 3,
    timeout: int = 1,
    delay: int = 0,
) -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": port, "scheme": "HTTP"},
        "periodSeconds": period,
        "failureThreshold": failure,
        "timeoutSeconds": timeout,
        "initialDelaySeconds": delay,
        "successThreshold": 1,
    }


def container(
    name: str,
    image: str,
    *,
    port: int | None = 80,
    requests: dict[str, str] | None = None,
    limits: dict[str, str] | None = None,
    readiness: dict[str, Any] | None = None,
    liveness: dict[str, Any] | None = None,
    env: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": name, "image": image, "imagePullPolicy": "IfNotPresent"}
    if port is not None:
        spec["ports"] = [{"containerPort": port, "protocol": "TCP"}]
    resources = {k: v for k, v in (("requests", requests), ("limits", limits)) if v}
    spec["resources"] = resources
    if readiness:
        spec["readinessProbe"] = readiness
    if liveness:
        spec["livenessProbe"] = liveness
    if env:
        spec["env"] = env
    return spec


def deployment(
    namespace: str,
    name: str,
    containers: list[dict[str, Any]],
    *,
    replicas: int = 1,
    progress_deadline: int = 600,
) -> Obj:
    labels = {"app": name}
    return {
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": {"name": name, "namespace": namespace, "labels": dict(labels)},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "progressDeadlineSeconds": progress_deadline,
            "revisionHistoryLimit": 10,
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
            },
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {"containers": containers, "restartPolicy": "Always"},
            },
        },
    }


def service(namespace: str, name: str, selector: dict[str, str], port: int, target: int) -> Obj:
    return {
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "selector": selector,
            "ports": [{"name": "http", "port": port, "targetPort": target, "protocol": "TCP"}],
            "type": "ClusterIP",
        },
    }


def node(name: str, *, cpu: str = "4", memory: str = "8Gi", ip: str = "10.0.0.10") -> Obj:
    resources = {"cpu": cpu, "memory": memory, "pods": "110"}
    return {
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
        "spec": {},
        "status": {
            "allocatable": dict(resources),
            "capacity": dict(resources),
            "addresses": [{"type": "InternalIP", "address": ip}],
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}],
        },
    }


def quota(namespace: str, name: str, hard: dict[str, str]) -> Obj:
    return {
        "kind": "ResourceQuota",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"hard": hard},
    }


def configmap(namespace: str, name: str, data: dict[str, str]) -> Obj:
    return {"kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}, "data": data}


def secret(namespace: str, name: str, data: dict[str, str]) -> Obj:
    encoded = {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}
    return {
        "kind": "Secret",
        "metadata": {"name": name, "namespace": namespace},
        "type": "Opaque",
        "data": encoded,
    }


def hpa(namespace: str, name: str, *, minimum: int, maximum: int, cpu_percent: int = 70) -> Obj:
    return {
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v2",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "minReplicas": minimum,
            "maxReplicas": maximum,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": cpu_percent},
                    },
                }
            ],
        },
        "status": {"currentReplicas": minimum, "desiredReplicas": minimum},
    }
