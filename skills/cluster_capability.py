"""The Kubernetes capability: ``services.cluster`` with read access and event lines for /rca.

Configuration (all optional) in the ``cluster`` section of the YAML file::

    cluster:
      kubeconfig: /path/to/kubeconfig     # else in-cluster, $KUBECONFIG or ~/.kube/config
      context: prod
      request_timeout_seconds: 10

Tests put a ready ``kubernetes.client.ApiClient`` in ``settings.cluster.api_client``.
Without a reachable configuration the bot runs without a cluster (skills say so).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from kubernetes import client

from bot.app import CapabilityParts
from bot.registry import DependencyError
from bot.services import Services
from cluster import ClusterAccess, PlanLimits
from cluster.calls import call_kubernetes
from config.settings import ClusterSettings, Settings
from messages import t

__all__ = [
    "ClusterService",
    "cluster_capability",
    "event_lines",
    "access_of",
    "require_access",
    "plan_limits",
]

log = structlog.get_logger(__name__)
MAX_EVENTS = 15
Json = dict[str, Any]


def _owned(items: Sequence[Json], uids: set[str]) -> list[Json]:
    return [
        item
        for item in items
        if any(ref.get("uid") in uids for ref in item["metadata"].get("ownerReferences") or [])
    ]


def event_lines(
    deployment: Json,
    replica_sets: Sequence[Json],
    pods: Sequence[Json],
    events: Sequence[Json],
    lang: str,
) -> list[str]:
    """Events on the deployment, its ReplicaSets and their pods: warnings first, newest first."""
    owned_rs = _owned(replica_sets, {deployment["metadata"]["uid"]})
    owned_pods = _owned(pods, {rs["metadata"]["uid"] for rs in owned_rs})
    uids = {deployment["metadata"]["uid"]} | {o["metadata"]["uid"] for o in owned_rs + owned_pods}
    mine = [e for e in events if (e.get("involvedObject") or {}).get("uid") in uids]
    mine.sort(key=lambda e: str(e.get("lastTimestamp") or e.get("eventTime") or ""), reverse=True)
    mine.sort(key=lambda e: e.get("type") != "Warning")
    return [
        t(
            "fix.event_line",
            lang,
            type=e.get("type", ""),
            reason=e.get("reason", ""),
            kind=e["involvedObject"].get("kind", ""),
            name=e["involvedObject"].get("name", ""),
            message=str(e.get("message", ""))[:200],
            count=e.get("count") or 1,
        )
        for e in mine[:MAX_EVENTS]
    ]


@dataclass
class ClusterService:
    """What ``services.cluster`` holds: the access object and helpers skills share."""

    access: ClusterAccess
    lang: str = "zh-CN"

    async def events_for_deployment(self, namespace: str, deployment: str) -> list[str]:
        live, replica_sets, pods, events = await asyncio.gather(
            self.access.deployment(namespace, deployment),
            self.access.replica_sets(namespace),
            self.access.pods(namespace),
            self.access.events(namespace),
        )
        return event_lines(live, replica_sets, pods, events, self.lang)

    async def ping(self) -> None:
        """GET /version: raises a ClusterError when the API server does not answer 2xx."""
        version = client.VersionApi(self.access.api_client)
        response: Any = await call_kubernetes(  # raw urllib3 response: nothing to parse
            "get_code",
            version.get_code,
            _preload_content=False,
            _request_timeout=self.access.request_timeout,
        )
        response.release_conn()

    def close(self) -> None:
        self.access.api_client.close()


def access_of(cluster: Any) -> ClusterAccess | None:
    """``services.cluster`` may be a ClusterService or (sandbox) a bare ClusterAccess."""
    if cluster is None:
        return None
    found = getattr(cluster, "access", cluster)
    return found if isinstance(found, ClusterAccess) else None


def require_access(ctx: Any) -> ClusterAccess:
    """For skills: the cluster, or a DependencyError naming Kubernetes."""
    access = access_of(ctx.services.cluster)
    if access is None:
        raise DependencyError("Kubernetes", ctx.t("fix.cluster_missing"))
    return access


def plan_limits(settings: Settings) -> PlanLimits:
    """Bounds for plans, from the ``fixes`` section (``min_replicas``, ``max_replicas``)."""
    fixes = settings.fixes
    return PlanLimits(min_replicas=fixes.min_replicas, max_replicas=fixes.max_replicas)


def _access(config: ClusterSettings) -> ClusterAccess:
    timeout = config.request_timeout_seconds
    if isinstance(config.api_client, client.ApiClient):
        return ClusterAccess(config.api_client, request_timeout=timeout)
    if config.kubeconfig or config.context:
        return ClusterAccess.from_kubeconfig(
            config.kubeconfig, config.context, request_timeout=timeout
        )
    return ClusterAccess.from_environment(request_timeout=timeout)


def cluster_capability(services: Services) -> CapabilityParts:
    config = services.settings.cluster
    if not config.enabled:
        return CapabilityParts()
    try:
        access = _access(config)
    except Exception as exc:  # no kubeconfig, no service account: run without a cluster
        log.warning("cluster_not_configured", error=f"{type(exc).__name__}: {exc}")
        return CapabilityParts()
    cluster = ClusterService(access, services.lang)
    services.cluster = cluster
    services.extras.setdefault("dependencies", {})["kubernetes"] = cluster.ping
    return CapabilityParts(stop=cluster.close)
