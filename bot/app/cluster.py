"""The Kubernetes capability: ``services.cluster`` with read access and event lines for /rca.

One per entry of ``clusters:`` (docs/clusters.md), or, without that list, the single
cluster of the ``cluster`` section::

    cluster:
      kubeconfig: /path/to/kubeconfig     # else in-cluster, $KUBECONFIG or ~/.kube/config
      context: prod
      request_timeout_seconds: 10

Tests put a ready ``kubernetes.client.ApiClient`` in ``settings.cluster.api_client`` (or
in a cluster entry's ``api_client``).
Without a reachable configuration the bot runs without a cluster (skills say so).
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Any

import structlog
from kubernetes import client

from bot.app.parts import CapabilityParts
from bot.dependencies import dependency_key
from bot.services import Services
from bot.texts.events import event_lines
from cluster import ClusterAccess
from cluster.calls import call_kubernetes
from config.scrub import scrub
from config.settings import ClusterEntry

__all__ = ["ClusterService", "access_for", "cluster_capability"]

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


def access_for(entry: ClusterEntry, timeout: float) -> ClusterAccess:
    """The API server of one ``clusters:`` entry (or of the single ``default`` one); raises
    when the entry cannot be reached that way (no kubeconfig, ``token_env`` unset).
    ``cloudops clusters check`` builds its clients here too."""
    if isinstance(entry.api_client, client.ApiClient):
        return ClusterAccess(entry.api_client, request_timeout=timeout)
    if entry.in_cluster:
        return ClusterAccess.in_cluster(request_timeout=timeout)
    if entry.api_server is not None:
        configuration = client.Configuration()
        configuration.host = entry.api_server
        token = os.environ.get(entry.token_env or "", "")
        if not token:
            raise ValueError(f"{entry.token_env} is not set")
        configuration.api_key = {"authorization": f"Bearer {token}"}
        configuration.ssl_ca_cert = entry.ca_file
        configuration.verify_ssl = not entry.insecure_skip_tls_verify
        return ClusterAccess(client.ApiClient(configuration), request_timeout=timeout)
    if entry.kubeconfig or entry.kubeconfig_context:
        return ClusterAccess.from_kubeconfig(
            entry.kubeconfig, entry.kubeconfig_context, request_timeout=timeout
        )
    return ClusterAccess.from_environment(request_timeout=timeout)


def cluster_capability(services: Services) -> CapabilityParts:
    """``services.cluster`` for every configured cluster (``clusters:``, or ``default``)."""
    settings = services.settings
    if not settings.cluster.enabled:
        return CapabilityParts()
    timeout = settings.cluster.request_timeout_seconds
    built: list[ClusterService] = []
    for entry in settings.cluster_entries():
        try:
            access = access_for(entry, timeout)
        except Exception as exc:  # no kubeconfig, no service account: run without it
            log.warning(
                "cluster_not_configured",
                cluster=entry.name,
                error=scrub(f"{type(exc).__name__}: {exc}"),
            )
            continue
        cluster = ClusterService(access, services.lang)
        built.append(cluster)
        services.slot(entry.name).cluster = cluster
        services.dependencies[dependency_key("kubernetes", entry.name, settings)] = cluster.ping
        if entry.name == services.cluster_name:
            services.cluster = cluster

    def close() -> None:
        for cluster in built:
            cluster.close()

    return CapabilityParts(stop=close)
