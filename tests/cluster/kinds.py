"""API-JSON builders for the per-kind analyzer tables: a namespace view and its objects."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cluster.view import NamespaceView

Json = dict[str, Any]
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
_TUPLES = ("replica_sets", "pods", "events", "nodes", "quotas", "services", "endpoints", "hpas")


def view(**parts: Any) -> NamespaceView:
    base: dict[str, Any] = {k: () for k in _TUPLES}
    base.update(config_keys={}, metrics=None, now=NOW)
    for key, value in parts.items():
        base[key] = tuple(value) if isinstance(value, list) else value
    return NamespaceView(namespace="shop", **base)


def meta(name: str, **extra: Any) -> Json:
    return {"name": name, "namespace": "shop", "uid": f"uid-{name}", **extra}


def owner(kind: str, name: str) -> list[Json]:
    return [{"kind": kind, "name": name, "uid": f"uid-{name}", "controller": True}]


def workload(
    kind: str, name: str, labels: dict[str, str] | None = None, port: int = 8080, **spec: Any
) -> Json:
    labels = labels or {"app": name}
    container = {"name": "app", "image": "example/app:1", "ports": [{"containerPort": port}]}
    return {
        "kind": kind,
        "metadata": meta(name),
        "spec": {
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}},
            **spec,
        },
        "status": {},
    }


def pod(
    name: str,
    labels: dict[str, str] | None = None,
    *,
    ready: bool = True,
    owned_by: tuple[str, str] | None = None,
    ports: list[Json] | None = None,
    phase: str = "Running",
    volumes: list[Json] | None = None,
    node: str = "node-1",
    **status: Any,
) -> Json:
    metadata = meta(name, labels=labels or {})
    if owned_by:
        metadata["ownerReferences"] = owner(*owned_by)
    container = {"name": "app", "image": "example/app:1"}
    if ports is not None:
        container["ports"] = ports
    flag = "True" if ready else "False"
    return {
        "metadata": metadata,
        "spec": {"containers": [container], "volumes": volumes or [], "nodeName": node},
        "status": {"phase": phase, "conditions": [{"type": "Ready", "status": flag}], **status},
    }


def service(name: str, selector: dict[str, str], port: int = 80, target: Any = 8080) -> Json:
    return {
        "metadata": meta(name),
        "spec": {"selector": selector, "ports": [{"port": port, "targetPort": target}]},
    }


def endpoints(name: str, ready: int = 1, not_ready: int = 0) -> Json:
    subset: Json = {}
    if ready:
        subset["addresses"] = [{"ip": f"10.0.0.{i}"} for i in range(ready)]
    if not_ready:
        subset["notReadyAddresses"] = [{"ip": f"10.0.1.{i}"} for i in range(not_ready)]
    return {"metadata": meta(name), "subsets": [subset] if subset else []}


def event(kind: str, name: str, reason: str, message: str) -> Json:
    return {
        "metadata": meta(f"{name}.1"),
        "involvedObject": {"kind": kind, "name": name, "uid": f"uid-{name}"},
        "reason": reason,
        "message": message,
        "count": 1,
        "type": "Warning",
        "lastTimestamp": "2026-03-01T11:00:00Z",
    }


def condition(kind: str, status: str, reason: str = "", message: str = "") -> Json:
    return {"type": kind, "status": status, "reason": reason, "message": message}
