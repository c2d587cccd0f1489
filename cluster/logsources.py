"""Where /logs reads from: Loki (a LogQL range query over httpx) when configured, else
the Kubernetes API (pods of the workload, through the official client)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx

from cluster.access import ClusterAccess
from cluster.errors import ClusterUnavailable, NotFound
from cluster.snapshot import Json

__all__ = ["LogQuery", "LogText", "kubernetes_logs", "loki_logs", "loki_query"]

MAX_PODS = 3  # pods of a workload whose logs are read


@dataclass(frozen=True)
class LogQuery:
    namespace: str
    workload: str
    previous: bool = False
    since_seconds: int | None = None
    tail: int = 500


@dataclass(frozen=True)
class LogText:
    source: str  # "kubernetes" | "loki"
    pods: tuple[str, ...]
    text: str


def _belongs(pod: Json, workload: str) -> bool:
    """Pods of ``workload``: named ``workload-<hash>-<id>``, ``workload-<ordinal>`` ..."""
    name = str(pod["metadata"]["name"])
    return name.startswith(f"{workload}-") or name == workload


def _troubled_first(pod: Json) -> tuple[int, str]:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    restarts = sum(int(s.get("restartCount") or 0) for s in statuses)
    ready = all(s.get("ready") for s in statuses) and bool(statuses)
    return (0 if restarts or not ready else 1, str(pod["metadata"]["name"]))


async def kubernetes_logs(access: ClusterAccess, query: LogQuery) -> LogText:
    """The tails of the workload's most troubled pods (every container), oldest pod first.
    Raises ``NotFound`` when no pod of that name exists."""
    pods = [p for p in await access.pods(query.namespace) if _belongs(p, query.workload)]
    if not pods:
        raise NotFound("list_namespaced_pod", 404, "NotFound", f"no pods of {query.workload}")
    chosen = sorted(pods, key=_troubled_first)[:MAX_PODS]

    async def read(pod: Json, container: str) -> str:
        text = await access.logs(
            query.namespace,
            str(pod["metadata"]["name"]),
            container,
            previous=query.previous,
            tail=query.tail,
            since_seconds=query.since_seconds,
        )
        return text or ""

    jobs = [
        read(pod, str(c["name"]))
        for pod in chosen
        for c in (pod.get("spec") or {}).get("containers") or []
    ]
    texts = await asyncio.gather(*jobs)
    names = tuple(str(p["metadata"]["name"]) for p in chosen)
    return LogText("kubernetes", names, "\n".join(t for t in texts if t))


def loki_query(namespace: str, workload: str) -> str:
    return f'{{namespace="{namespace}", pod=~"{workload}-.*"}}'


async def loki_logs(
    url: str,
    query: LogQuery,
    *,
    limit: int = 1000,
    timeout: float = 10.0,
    client: httpx.AsyncClient | None = None,
    now: float | None = None,
) -> LogText:
    """``/loki/api/v1/query_range`` over the last ``since_seconds`` (default 1 h), newest
    first from Loki, returned oldest first. ``previous`` has no meaning for Loki (it keeps
    every container's lines)."""
    end = now if now is not None else time.time()
    start = end - (query.since_seconds or 3600)
    params: dict[str, str | int] = {
        "query": loki_query(query.namespace, query.workload),
        "start": int(start * 1e9),
        "end": int(end * 1e9),
        "limit": min(limit, query.tail),
        "direction": "backward",
    }
    owned = client is None
    http = client or httpx.AsyncClient(timeout=timeout)
    try:
        response = await http.get(f"{url.rstrip('/')}/loki/api/v1/query_range", params=params)
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise ClusterUnavailable("loki query_range", f"{type(error).__name__}: {error}") from error
    finally:
        if owned:
            await http.aclose()
    entries: list[tuple[int, str]] = []
    pods: set[str] = set()
    for stream in (body.get("data") or {}).get("result") or []:
        labels = stream.get("stream") or {}
        pods.add(str(labels.get("pod", "")))
        entries += [(int(ts), str(line)) for ts, line in stream.get("values") or []]
    entries.sort()
    return LogText(
        "loki", tuple(sorted(p for p in pods if p)), "\n".join(text for _, text in entries)
    )
