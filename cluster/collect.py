"""Gather what rules need: one read of the namespace, then a snapshot per Deployment."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from cluster.access import ClusterAccess
from cluster.inventory import read_inventory, secret_names
from cluster.quantity import parse_cpu, parse_memory
from cluster.snapshot import ContainerUsage, Json, WorkloadSnapshot
from cluster.view import NamespaceView

__all__ = [
    "NamespaceView",
    "read_custom_instances",
    "read_namespace",
    "read_pod_logs",
    "snapshot_of",
    "usage_from_metrics",
]

MAX_LOG_PODS = 2  # per workload, the pods whose logs we read


async def read_namespace(
    access: ClusterAccess, namespace: str, *, every_kind: bool = False
) -> NamespaceView:
    """Every list call once, concurrently; any failure raises a typed ClusterError.
    ``every_kind`` also reads StatefulSets, Jobs, Ingresses, claims ... (``cluster.inventory``)."""
    extra: dict[str, Any] = {}
    if every_kind:
        extra, names = await asyncio.gather(
            read_inventory(access, namespace), secret_names(access, namespace)
        )
        extra = {**extra, "secret_names": names}
    results: list[Any] = await asyncio.gather(
        access.replica_sets(namespace),
        access.pods(namespace),
        access.events(namespace),
        access.nodes(),
        access.quotas(namespace),
        access.services(namespace),
        access.endpoints(namespace),
        access.hpas(namespace),
        access.config_keys(namespace),
        access.pod_metrics(namespace),
    )
    rs, pods, events, nodes, quotas, services, endpoints, hpas, keys, metrics = results
    return NamespaceView(
        namespace=namespace,
        replica_sets=tuple(rs),
        pods=tuple(pods),
        events=tuple(events),
        nodes=tuple(nodes),
        quotas=tuple(quotas),
        services=tuple(services),
        endpoints=tuple(endpoints),
        hpas=tuple(hpas),
        config_keys=keys,
        metrics=tuple(metrics) if metrics is not None else None,
        **extra,
    )


def _owned_by(items: tuple[Json, ...], uids: set[str]) -> tuple[Json, ...]:
    return tuple(
        item
        for item in items
        if any(ref.get("uid") in uids for ref in item["metadata"].get("ownerReferences") or [])
    )


def usage_from_metrics(
    metrics: tuple[Json, ...], pods: tuple[Json, ...]
) -> dict[str, ContainerUsage]:
    """Peak use per container name over the given pods' PodMetrics."""
    names = {p["metadata"]["name"] for p in pods}
    peak: dict[str, ContainerUsage] = {}
    for item in metrics:
        if item["metadata"]["name"] not in names:
            continue
        for container in item.get("containers") or []:
            usage = container.get("usage") or {}
            cpu, memory = parse_cpu(usage.get("cpu", "0")), parse_memory(usage.get("memory", "0"))
            old = peak.get(container["name"])
            if old is not None:
                cpu, memory = max(cpu, old.cpu_millicores), max(memory, old.memory_bytes)
            peak[container["name"]] = ContainerUsage(cpu, memory)
    return peak


def _log_requests(pods: tuple[Json, ...]) -> list[tuple[str, str, bool]]:
    """(pod, container, previous) for containers that restarted or are not ready."""
    wanted: list[tuple[str, str, bool]] = []
    troubled = [
        pod
        for pod in pods
        if any(not s.get("ready") for s in (pod.get("status") or {}).get("containerStatuses") or [])
    ]
    for pod in troubled[:MAX_LOG_PODS]:
        for status in pod["status"]["containerStatuses"]:
            if status.get("restartCount"):
                wanted.append((pod["metadata"]["name"], status["name"], True))
            if "running" in (status.get("state") or {}) and not status.get("ready"):
                wanted.append((pod["metadata"]["name"], status["name"], False))
    return wanted


async def read_pod_logs(
    access: ClusterAccess,
    namespace: str,
    requests: list[tuple[str, str]],
    *,
    tail: int,
    budget: float,
    concurrency: int = 4,
) -> dict[str, str]:
    """``"pod/container"`` → the redacted tail of its current log, for each request read
    within ``budget`` seconds; a read that fails or is late is left out, never raised."""
    limit = asyncio.Semaphore(concurrency)

    async def read(pod: str, container: str) -> tuple[str, str | None]:
        async with limit:
            return f"{pod}/{container}", await access.logs(namespace, pod, container, tail=tail)

    tasks = [asyncio.ensure_future(read(*request)) for request in requests]
    if not tasks:
        return {}
    done, pending = await asyncio.wait(tasks, timeout=budget)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    texts: dict[str, str] = {}
    for task in done:
        if task.exception() is None:
            key, text = task.result()
            if text:
                texts[key] = text
    return texts


async def read_custom_instances(
    access: ClusterAccess,
    namespace: str,
    requests: Mapping[str, tuple[str, str, str]],
    *,
    budget: float,
    concurrency: int = 4,
) -> dict[str, tuple[Json, ...]]:
    """Name → the custom objects in ``namespace`` of each request (name → group, version,
    plural; paged list calls), read within ``budget`` seconds; a read that is forbidden,
    fails or is late is left out, never raised."""
    limit = asyncio.Semaphore(concurrency)

    async def read(name: str, group: str, version: str, plural: str) -> tuple[str, list[Json]]:
        async with limit:
            items = await access.list_kind(
                "CustomObjectsApi",
                "list_namespaced_custom_object",
                group,
                version,
                namespace,
                plural,
            )
        return name, items

    tasks = [asyncio.ensure_future(read(name, *call)) for name, call in requests.items()]
    if not tasks:
        return {}
    done, pending = await asyncio.wait(tasks, timeout=budget)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    found: dict[str, tuple[Json, ...]] = {}
    for task in done:
        if task.exception() is None:
            name, items = task.result()
            found[name] = tuple(items)
    return found


async def snapshot_of(
    access: ClusterAccess,
    view: NamespaceView,
    deployment: Json,
    *,
    usage: Mapping[str, ContainerUsage] | None = None,
    concurrency: int = 4,
) -> WorkloadSnapshot:
    kind = str(deployment.get("kind") or "Deployment")
    uid = deployment["metadata"]["uid"]
    # Deployments own pods through ReplicaSets; StatefulSets and DaemonSets own them directly.
    replica_sets = _owned_by(view.replica_sets, {uid}) if kind == "Deployment" else ()
    owners = {rs["metadata"]["uid"] for rs in replica_sets} if kind == "Deployment" else {uid}
    pods = _owned_by(view.pods, owners)
    uids = {uid} | {o["metadata"]["uid"] for o in replica_sets + pods}
    events = tuple(e for e in view.events if (e.get("involvedObject") or {}).get("uid") in uids)
    limit = asyncio.Semaphore(concurrency)

    async def read(pod: str, container: str, previous: bool) -> tuple[str, bool, str | None]:
        async with limit:
            text = await access.logs(view.namespace, pod, container, previous=previous)
        return f"{pod}/{container}", previous, text

    logs = await asyncio.gather(*(read(*request) for request in _log_requests(pods)))
    if usage is None and view.metrics is not None:
        usage = usage_from_metrics(view.metrics, pods)
    return WorkloadSnapshot(
        deployment=deployment,
        replica_sets=replica_sets,
        pods=pods,
        events=events,
        logs={key: text for key, previous, text in logs if not previous and text is not None},
        previous_logs={key: text for key, previous, text in logs if previous and text is not None},
        nodes=view.nodes,
        quotas=view.quotas,
        services=view.services,
        endpoints=view.endpoints,
        hpas=view.hpas,
        config_keys=view.config_keys,
        usage=usage or None,
        kind=kind,
    )
