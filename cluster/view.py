"""One read of a namespace: every object the rules and analyzers look at, as API JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cluster.snapshot import Json

__all__ = ["NamespaceView", "WORKLOAD_KINDS", "object_key"]

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet")


def object_key(namespace: str, kind: str, name: str) -> str:
    """``namespace/Kind/name``; cluster-scoped objects (nodes) have an empty namespace."""
    return f"{namespace}/{kind}/{name}"


@dataclass(frozen=True)
class NamespaceView:
    namespace: str
    replica_sets: tuple[Json, ...]
    pods: tuple[Json, ...]
    events: tuple[Json, ...]
    nodes: tuple[Json, ...]
    quotas: tuple[Json, ...]
    services: tuple[Json, ...]
    endpoints: tuple[Json, ...]
    hpas: tuple[Json, ...]
    config_keys: Mapping[str, frozenset[str]]
    metrics: tuple[Json, ...] | None
    deployments: tuple[Json, ...] = ()
    stateful_sets: tuple[Json, ...] = ()
    daemon_sets: tuple[Json, ...] = ()
    jobs: tuple[Json, ...] = ()
    cron_jobs: tuple[Json, ...] = ()
    ingresses: tuple[Json, ...] = ()
    ingress_classes: tuple[Json, ...] = ()
    claims: tuple[Json, ...] = ()  # PersistentVolumeClaims
    volumes: tuple[Json, ...] = ()  # PersistentVolumes
    storage_classes: tuple[Json, ...] = ()
    budgets: tuple[Json, ...] = ()  # PodDisruptionBudgets
    network_policies: tuple[Json, ...] = ()
    limit_ranges: tuple[Json, ...] = ()
    service_accounts: tuple[Json, ...] = ()
    validating_webhooks: tuple[Json, ...] = ()  # ValidatingWebhookConfigurations
    mutating_webhooks: tuple[Json, ...] = ()  # MutatingWebhookConfigurations
    # custom resources (absent CRD: empty): OLM v0 and v1, Google Managed Prometheus
    catalog_sources: tuple[Json, ...] = ()
    cluster_service_versions: tuple[Json, ...] = ()
    install_plans: tuple[Json, ...] = ()
    subscriptions: tuple[Json, ...] = ()
    operator_groups: tuple[Json, ...] = ()
    cluster_catalogs: tuple[Json, ...] = ()  # cluster-scoped
    cluster_extensions: tuple[Json, ...] = ()  # cluster-scoped
    pod_monitorings: tuple[Json, ...] = ()
    # "pod/container" → redacted current log tail, read by the survey for the log analyzer
    pod_logs: Mapping[str, str] = field(default_factory=dict)
    crds: tuple[Json, ...] = ()  # CustomResourceDefinitions (cluster-scoped)
    gateway_classes: tuple[Json, ...] = ()  # Gateway API, cluster-scoped
    gateways: tuple[Json, ...] = ()  # of every namespace: routes may attach across them
    http_routes: tuple[Json, ...] = ()
    resource_claims: tuple[Json, ...] = ()  # DRA (resource.k8s.io)
    device_classes: tuple[Json, ...] = ()
    # CRD name → its instances in the namespace, read by the survey for the custom
    # resource analyzer (CRDs whose instances were not read, or could not be: absent)
    custom_instances: Mapping[str, tuple[Json, ...]] = field(default_factory=dict)
    secret_names: frozenset[str] | None = None  # None: Secrets may not be listed (RBAC)
    unreadable: tuple[str, ...] = ()  # view fields the bot may not read (403) or not served
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def key(self, kind: str, name: str) -> str:
        return object_key(self.namespace, kind, name)

    def workloads(self) -> list[tuple[str, Json]]:
        """(kind, object) for every Deployment, StatefulSet and DaemonSet."""
        return [
            *(("Deployment", d) for d in self.deployments),
            *(("StatefulSet", s) for s in self.stateful_sets),
            *(("DaemonSet", d) for d in self.daemon_sets),
        ]

    def find(self, kind: str, name: str) -> Json | None:
        """The object ``kind``/``name`` if this view read it."""
        items = {
            "Deployment": self.deployments,
            "StatefulSet": self.stateful_sets,
            "DaemonSet": self.daemon_sets,
            "Job": self.jobs,
            "CronJob": self.cron_jobs,
            "Service": self.services,
            "Ingress": self.ingresses,
            "PersistentVolumeClaim": self.claims,
            "Node": self.nodes,
            "HorizontalPodAutoscaler": self.hpas,
            "PodDisruptionBudget": self.budgets,
            "NetworkPolicy": self.network_policies,
            "ServiceAccount": self.service_accounts,
            "ValidatingWebhookConfiguration": self.validating_webhooks,
            "MutatingWebhookConfiguration": self.mutating_webhooks,
            "CatalogSource": self.catalog_sources,
            "ClusterServiceVersion": self.cluster_service_versions,
            "InstallPlan": self.install_plans,
            "Subscription": self.subscriptions,
            "OperatorGroup": self.operator_groups,
            "ClusterCatalog": self.cluster_catalogs,
            "ClusterExtension": self.cluster_extensions,
            "PodMonitoring": self.pod_monitorings,
            "CustomResourceDefinition": self.crds,
            "GatewayClass": self.gateway_classes,
            "Gateway": self.own_gateways(),
            "HTTPRoute": self.http_routes,
            "ResourceClaim": self.resource_claims,
        }.get(kind, ())
        if kind == "ConfigMap":  # read as key names only
            known = f"ConfigMap/{name}" in self.config_keys
            return {"kind": kind, "metadata": {"name": name}} if known else None
        return next((o for o in items if o["metadata"]["name"] == name), None)

    def own_gateways(self) -> tuple[Json, ...]:
        """The Gateways of this namespace (``gateways`` holds every namespace's)."""
        return tuple(
            g
            for g in self.gateways
            if g["metadata"].get("namespace", self.namespace) == self.namespace
        )

    def events_on(self, kind: str, name: str, reason: str | None = None) -> list[Json]:
        return [
            e
            for e in self.events
            if (e.get("involvedObject") or {}).get("kind") == kind
            and (e.get("involvedObject") or {}).get("name") == name
            and (reason is None or e.get("reason") == reason)
        ]

    def owner_key(self, obj: Json) -> str:
        """The object a person would change to fix ``obj``: pod → ReplicaSet → Deployment,
        pod → StatefulSet/DaemonSet/Job, Job → CronJob; ``obj`` itself when unowned."""
        kind = str(obj.get("kind") or "Pod")
        current, current_kind = obj, kind
        by_uid = {
            str(o["metadata"].get("uid")): (k, o)
            for k, items in (
                ("ReplicaSet", self.replica_sets),
                ("Deployment", self.deployments),
                ("StatefulSet", self.stateful_sets),
                ("DaemonSet", self.daemon_sets),
                ("Job", self.jobs),
                ("CronJob", self.cron_jobs),
            )
            for o in items
        }
        for _ in range(3):
            refs = current["metadata"].get("ownerReferences") or []
            ref = next((r for r in refs if r.get("controller", True)), None)
            if ref is None:
                break
            found = by_uid.get(str(ref.get("uid")))
            if found is None:
                current_kind = str(ref.get("kind", current_kind))
                return self.key(current_kind, str(ref.get("name")))
            current_kind, current = found
        return self.key(current_kind, str(current["metadata"]["name"]))
