"""The kinds beyond Deployments that diagnosis reads, as paged list calls of the official
client. Read-only; a kind the bot may not read (403) or the server does not serve (404)
is reported as unreadable instead of failing the whole diagnosis."""

from __future__ import annotations

import asyncio
from typing import Any, NamedTuple

from cluster.access import ClusterAccess
from cluster.errors import ClusterApiError
from cluster.snapshot import Json

__all__ = [
    "NAMESPACED",
    "CLUSTER_WIDE",
    "CUSTOM",
    "CustomResource",
    "KIND_NAMES",
    "Inventory",
    "read_inventory",
    "secret_names",
    "webhook_namespace",
]

# view field → (client API class, list method)
NAMESPACED: dict[str, tuple[str, str]] = {
    "deployments": ("AppsV1Api", "list_namespaced_deployment"),
    "stateful_sets": ("AppsV1Api", "list_namespaced_stateful_set"),
    "daemon_sets": ("AppsV1Api", "list_namespaced_daemon_set"),
    "jobs": ("BatchV1Api", "list_namespaced_job"),
    "cron_jobs": ("BatchV1Api", "list_namespaced_cron_job"),
    "ingresses": ("NetworkingV1Api", "list_namespaced_ingress"),
    "network_policies": ("NetworkingV1Api", "list_namespaced_network_policy"),
    "claims": ("CoreV1Api", "list_namespaced_persistent_volume_claim"),
    "budgets": ("PolicyV1Api", "list_namespaced_pod_disruption_budget"),
    "limit_ranges": ("CoreV1Api", "list_namespaced_limit_range"),
    "service_accounts": ("CoreV1Api", "list_namespaced_service_account"),
}
CLUSTER_WIDE: dict[str, tuple[str, str]] = {
    "ingress_classes": ("NetworkingV1Api", "list_ingress_class"),
    "volumes": ("CoreV1Api", "list_persistent_volume"),
    "storage_classes": ("StorageV1Api", "list_storage_class"),
    "validating_webhooks": (
        "AdmissionregistrationV1Api",
        "list_validating_webhook_configuration",
    ),
    "mutating_webhooks": ("AdmissionregistrationV1Api", "list_mutating_webhook_configuration"),
}


class CustomResource(NamedTuple):
    group: str
    version: str
    plural: str
    namespaced: bool = True


# view field → custom resource, read through CustomObjectsApi; a CRD that is not
# installed answers 404 and the field stays empty: nothing to diagnose, nothing to say
# (a 403 is listed as unreadable, as for every kind).
CUSTOM: dict[str, CustomResource] = {
    "catalog_sources": CustomResource("operators.coreos.com", "v1alpha1", "catalogsources"),
    "cluster_service_versions": CustomResource(
        "operators.coreos.com", "v1alpha1", "clusterserviceversions"
    ),
    "install_plans": CustomResource("operators.coreos.com", "v1alpha1", "installplans"),
    "subscriptions": CustomResource("operators.coreos.com", "v1alpha1", "subscriptions"),
    "operator_groups": CustomResource("operators.coreos.com", "v1", "operatorgroups"),
    "cluster_catalogs": CustomResource(
        "olm.operatorframework.io", "v1", "clustercatalogs", namespaced=False
    ),
    "cluster_extensions": CustomResource(
        "olm.operatorframework.io", "v1", "clusterextensions", namespaced=False
    ),
    "pod_monitorings": CustomResource("monitoring.googleapis.com", "v1", "podmonitorings"),
}
_KIND_OF = {
    "deployments": "Deployment",
    "stateful_sets": "StatefulSet",
    "daemon_sets": "DaemonSet",
    "jobs": "Job",
    "cron_jobs": "CronJob",
}
KIND_NAMES = {  # view field → the kind a person reads on the card
    **_KIND_OF,
    "ingresses": "Ingress",
    "network_policies": "NetworkPolicy",
    "claims": "PersistentVolumeClaim",
    "budgets": "PodDisruptionBudget",
    "limit_ranges": "LimitRange",
    "ingress_classes": "IngressClass",
    "volumes": "PersistentVolume",
    "storage_classes": "StorageClass",
    "service_accounts": "ServiceAccount",
    "validating_webhooks": "ValidatingWebhookConfiguration",
    "mutating_webhooks": "MutatingWebhookConfiguration",
    "catalog_sources": "CatalogSource",
    "cluster_service_versions": "ClusterServiceVersion",
    "install_plans": "InstallPlan",
    "subscriptions": "Subscription",
    "operator_groups": "OperatorGroup",
    "cluster_catalogs": "ClusterCatalog",
    "cluster_extensions": "ClusterExtension",
    "pod_monitorings": "PodMonitoring",
}


Inventory = dict[str, Any]  # view field → tuple of items; "unreadable" → tuple of calls


async def _read(access: ClusterAccess, field: str, api: str, method: str, *args: Any) -> Any:
    try:
        if field in CUSTOM:
            group, version, plural, namespaced = CUSTOM[field]
            scope = args[0] if namespaced else None
            items = await access.list_custom(group, version, plural, scope)
        else:
            items = await access.list_kind(api, method, *args)
    except ClusterApiError as error:
        if error.status == 404 and field in CUSTOM:  # the operator is not installed
            return field, ()
        if error.status in (403, 404):
            return field, None
        raise
    kind = _KIND_OF.get(field)
    if kind:  # list items carry no kind; the owner lookups need it
        items = [{**item, "kind": item.get("kind") or kind} for item in items]
    return field, tuple(items)


async def read_inventory(access: ClusterAccess, namespace: str) -> Inventory:
    calls = [_read(access, f, api, m, namespace) for f, (api, m) in NAMESPACED.items()]
    calls += [_read(access, f, api, m) for f, (api, m) in CLUSTER_WIDE.items()]
    calls += [_read(access, f, "CustomObjectsApi", "", namespace) for f in CUSTOM]
    results: list[Any] = await asyncio.gather(*calls)
    inventory: Inventory = {field: items or () for field, items in results}
    inventory["unreadable"] = tuple(sorted(field for field, items in results if items is None))
    return inventory


async def secret_names(access: ClusterAccess, namespace: str) -> frozenset[str] | None:
    """Names of the namespace's Secrets, or None when RBAC forbids listing them."""
    try:
        secrets: list[Json] = await access.list_kind(
            "CoreV1Api", "list_namespaced_secret", namespace
        )
    except ClusterApiError as error:
        if error.status == 403:
            return None
        raise
    return frozenset(str(s["metadata"]["name"]) for s in secrets)


async def webhook_namespace(access: ClusterAccess, kind: str, name: str) -> str | None:
    """The namespace of the first Service webhook configuration ``kind``/``name`` calls
    (where ``cluster.analyzers.webhook`` judges it); None when it calls none or is gone."""
    field = {
        "ValidatingWebhookConfiguration": "validating_webhooks",
        "MutatingWebhookConfiguration": "mutating_webhooks",
    }[kind]
    api, method = CLUSTER_WIDE[field]
    for config in await access.list_kind(api, method):
        if config["metadata"]["name"] != name:
            continue
        refs = [
            (h.get("clientConfig") or {}).get("service") or {} for h in config.get("webhooks") or []
        ]
        found = sorted(str(r["namespace"]) for r in refs if r.get("namespace"))
        return found[0] if found else None
    return None
