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
from dataclasses import dataclass
from typing import Any

import structlog
from kubernetes import client

from bot.app.parts import CapabilityParts
from bot.services import Services
from bot.texts.events import event_lines
from cluster import ClusterAccess
from cluster.calls import call_kubernetes
from config.settings import ClusterSettings

__all__ = ["ClusterService", "cluster_capability"]

log = structlog.get_logger(__name__)


@dataclass
class ClusterService:
    """What ``services.cluster`` holds: the access object and the event lines /rca shows."""

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
        self.access.api_client.close()  # type: ignore[no-untyped-call]


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
    services.dependencies["kubernetes"] = cluster.ping
    return CapabilityParts(stop=cluster.close)
