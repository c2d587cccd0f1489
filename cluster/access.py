"""Read-only access to a cluster through the official kubernetes client, as async calls.

Everything returned is plain API JSON (camelCase dicts); logs are redacted and cut.
This module never changes the cluster: mutations live in ``cluster.executor`` only.
"""

from __future__ import annotations

import os
from typing import Any

from kubernetes import client, config

from cluster.calls import call_kubernetes
from cluster.errors import ClusterApiError, NotFound
from cluster.redaction import clean_log

__all__ = ["ClusterAccess"]

Json = dict[str, Any]
# The kinds a plan beyond workloads targets: (API group class, read method).
OBJECT_READS = {
    "CronJob": ("BatchV1Api", "read_namespaced_cron_job"),
    "Job": ("BatchV1Api", "read_namespaced_job"),
    "Service": ("CoreV1Api", "read_namespaced_service"),
    "Node": ("CoreV1Api", "read_node"),
}


class ClusterAccess:
    def __init__(
        self,
        api_client: client.ApiClient,
        *,
        request_timeout: float = 10.0,
        log_lines: int = 50,
        log_chars: int = 4000,
        page_size: int = 500,
        max_items: int = 5000,
    ) -> None:
        self.api_client = api_client
        self.request_timeout = request_timeout
        self.log_lines = log_lines
        self.log_chars = log_chars
        self.page_size = page_size
        self.max_items = max_items  # per list call: a runaway namespace stays bounded
        self._core = client.CoreV1Api(api_client)
        self._apps = client.AppsV1Api(api_client)
        self._autoscaling = client.AutoscalingV2Api(api_client)
        self._custom = client.CustomObjectsApi(api_client)
        self._apis: dict[str, Any] = {}

    @classmethod
    def from_kubeconfig(
        cls, path: str | None = None, context: str | None = None, **options: Any
    ) -> ClusterAccess:
        return cls(config.new_client_from_config(config_file=path, context=context), **options)

    @classmethod
    def in_cluster(cls, **options: Any) -> ClusterAccess:
        configuration = client.Configuration()
        config.load_incluster_config(client_configuration=configuration)
        return cls(client.ApiClient(configuration), **options)

    @classmethod
    def from_environment(cls, **options: Any) -> ClusterAccess:
        """In-cluster service account inside a pod, else ``$KUBECONFIG`` / ``~/.kube/config``."""
        if os.environ.get("KUBERNETES_SERVICE_HOST"):
            return cls.in_cluster(**options)
        return cls.from_kubeconfig(**options)

    async def _json(self, call: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        result = await call_kubernetes(
            call, function, *args, _request_timeout=self.request_timeout, **kwargs
        )
        return self.api_client.sanitize_for_serialization(result)

    async def _items(self, call: str, function: Any, *args: Any, **kwargs: Any) -> list[Json]:
        """Every item of a list call, ``page_size`` at a time (limit/continue), at most
        ``max_items``."""
        items: list[Json] = []
        token: str | None = None
        while len(items) < self.max_items:
            page = min(self.page_size, self.max_items - len(items))
            paging: dict[str, Any] = {"limit": page}
            if token:
                paging["_continue"] = token
            result = await self._json(call, function, *args, **kwargs, **paging)
            items.extend(result.get("items") or [])
            token = (result.get("metadata") or {}).get("continue")
            if not token:
                break
        return items[: self.max_items]

    def api(self, name: str) -> Any:
        """One of the client's API group classes (``"BatchV1Api"``), made once."""
        group = self._apis.get(name)
        if group is None:
            group = self._apis[name] = getattr(client, name)(self.api_client)
        return group

    async def list_kind(self, api: str, method: str, *args: Any) -> list[Json]:
        """A list call by name on one of the client's API groups, e.g.
        ``list_kind("BatchV1Api", "list_namespaced_job", "shop")`` (paged like every list)."""
        return await self._items(method, getattr(self.api(api), method), *args)

    async def served_versions(self) -> dict[str, tuple[str, ...]]:
        """API discovery (``/apis``): every group the server serves → its versions."""
        apis = self.api("ApisApi")
        result = await self._json("get_api_versions", apis.get_api_versions)
        return {
            str(group["name"]): tuple(str(v["version"]) for v in group.get("versions") or [])
            for group in result.get("groups") or []
        }

    async def read(self, kind: str, namespace: str, name: str) -> Json:
        """Any object a plan may target, with its ``kind`` set: a workload, or a CronJob,
        Job, Service or Node (cluster-scoped: ``namespace`` is ignored)."""
        if kind not in OBJECT_READS:
            return await self.workload(kind, namespace, name)
        api, method = OBJECT_READS[kind]
        args = (name,) if kind == "Node" else (name, namespace)
        found = dict(await self._json(method, getattr(self.api(api), method), *args))
        return {**found, "kind": kind}

    async def endpoints_of(self, namespace: str, name: str) -> Json | None:
        """The Endpoints of Service ``name``; None when there are none (yet)."""
        try:
            found = await self._json(
                "read_namespaced_endpoints", self._core.read_namespaced_endpoints, name, namespace
            )
        except NotFound:
            return None
        return dict(found)

    # -- workloads ------------------------------------------------------------------
    async def deployment(self, namespace: str, name: str) -> Json:
        api = self._apps
        return dict(
            await self._json(
                "read_namespaced_deployment", api.read_namespaced_deployment, name, namespace
            )
        )

    async def workload(self, kind: str, namespace: str, name: str) -> Json:
        """A Deployment, StatefulSet or DaemonSet (with its ``kind`` set)."""
        if kind == "Deployment":
            return {**await self.deployment(namespace, name), "kind": "Deployment"}
        method = {
            "StatefulSet": "read_namespaced_stateful_set",
            "DaemonSet": "read_namespaced_daemon_set",
        }[kind]
        found = dict(await self._json(method, getattr(self._apps, method), name, namespace))
        return {**found, "kind": kind}

    async def deployments(self, namespace: str | None = None) -> list[Json]:
        if namespace is None:
            return await self._items(
                "list_deployment_for_all_namespaces", self._apps.list_deployment_for_all_namespaces
            )
        return await self._items(
            "list_namespaced_deployment", self._apps.list_namespaced_deployment, namespace
        )

    async def replica_sets(self, namespace: str, selector: str | None = None) -> list[Json]:
        return await self._items(
            "list_namespaced_replica_set",
            self._apps.list_namespaced_replica_set,
            namespace,
            label_selector=selector,
        )

    async def pods(self, namespace: str, selector: str | None = None) -> list[Json]:
        return await self._items(
            "list_namespaced_pod",
            self._core.list_namespaced_pod,
            namespace,
            label_selector=selector,
        )

    async def events(
        self, namespace: str, *, kind: str | None = None, name: str | None = None
    ) -> list[Json]:
        terms = [f"involvedObject.{k}={v}" for k, v in (("kind", kind), ("name", name)) if v]
        return await self._items(
            "list_namespaced_event",
            self._core.list_namespaced_event,
            namespace,
            field_selector=",".join(terms) or None,
        )

    async def logs(
        self,
        namespace: str,
        pod: str,
        container: str,
        *,
        previous: bool = False,
        tail: int | None = None,
        since_seconds: int | None = None,
    ) -> str | None:
        """Redacted, truncated log tail; None when there is nothing to read (HTTP 400)."""
        window = {"since_seconds": since_seconds} if since_seconds else {}
        try:
            text = await call_kubernetes(
                "read_namespaced_pod_log",
                self._core.read_namespaced_pod_log,
                pod,
                namespace,
                container=container,
                previous=previous,
                tail_lines=tail or self.log_lines,
                _request_timeout=self.request_timeout,
                **window,
            )
        except ClusterApiError as error:
            if error.status == 400:
                return None
            raise
        if tail is None:
            return clean_log(str(text), max_lines=self.log_lines, max_chars=self.log_chars)
        # An explicit tail (/logs) keeps that many lines; the caller bounds what it shows.
        return clean_log(str(text), max_lines=tail, max_chars=max(self.log_chars, tail * 300))

    # -- capacity and configuration -------------------------------------------------
    async def nodes(self) -> list[Json]:
        return await self._items("list_node", self._core.list_node)

    async def quotas(self, namespace: str) -> list[Json]:
        return await self._items(
            "list_namespaced_resource_quota", self._core.list_namespaced_resource_quota, namespace
        )

    async def hpas(self, namespace: str) -> list[Json]:
        api = self._autoscaling
        return await self._items(
            "list_namespaced_horizontal_pod_autoscaler",
            api.list_namespaced_horizontal_pod_autoscaler,
            namespace,
        )

    async def services(self, namespace: str) -> list[Json]:
        return await self._items(
            "list_namespaced_service", self._core.list_namespaced_service, namespace
        )

    async def endpoints(self, namespace: str) -> list[Json]:
        return await self._items(
            "list_namespaced_endpoints", self._core.list_namespaced_endpoints, namespace
        )

    async def config_keys(self, namespace: str) -> dict[str, frozenset[str]]:
        """``{"ConfigMap/name": keys, "Secret/name": keys}``: key names only, never values."""
        keys: dict[str, frozenset[str]] = {}
        try:
            config_maps = await self._items(
                "list_namespaced_config_map", self._core.list_namespaced_config_map, namespace
            )
        except ClusterApiError as error:
            if error.status != 403:  # the read-only ClusterRole does not grant ConfigMaps
                raise
            config_maps = []
        for cm in config_maps:
            keys[f"ConfigMap/{cm['metadata']['name']}"] = frozenset(
                (cm.get("data") or {}) | (cm.get("binaryData") or {})
            )
        try:
            secrets = await self._items(
                "list_namespaced_secret", self._core.list_namespaced_secret, namespace
            )
        except ClusterApiError as error:
            if error.status != 403:  # reading Secrets may be forbidden by RBAC: fine
                raise
            secrets = []
        for secret in secrets:
            keys[f"Secret/{secret['metadata']['name']}"] = frozenset(secret.get("data") or {})
        return keys

    async def config_metadata(self, namespace: str) -> list[Json]:
        """ConfigMaps and Secrets as ``{"kind", "metadata"}`` only: values are dropped at once.
        Secrets the bot may not list (RBAC) are left out."""
        core = self._core
        found = [
            {"kind": "ConfigMap", "metadata": item["metadata"]}
            for item in await self._items(
                "list_namespaced_config_map", core.list_namespaced_config_map, namespace
            )
        ]
        try:
            secrets = await self._items(
                "list_namespaced_secret", core.list_namespaced_secret, namespace
            )
        except ClusterApiError as error:
            if error.status != 403:
                raise
            secrets = []
        found += [{"kind": "Secret", "metadata": item["metadata"]} for item in secrets]
        return found

    async def pod_metrics(self, namespace: str) -> list[Json] | None:
        """metrics.k8s.io PodMetrics; None when no metrics server answers."""
        try:
            result: Any = await call_kubernetes(
                "list_namespaced_custom_object(metrics.k8s.io/pods)",
                self._custom.list_namespaced_custom_object,
                "metrics.k8s.io",
                "v1beta1",
                namespace,
                "pods",
                _request_timeout=self.request_timeout,
            )
        except NotFound:
            return None
        return list(result.get("items") or [])
