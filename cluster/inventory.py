"""The kinds beyond Deployments that diagnosis reads, as paged list calls of the official
client. Read-only; a kind the bot may not read (403) or the server does not serve (404)
is reported as unreadable instead of failing the whole diagnosis."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from cluster.access import ClusterAccess
from cluster.errors import ClusterApiError
from cluster.snapshot import Json

__all__ = [
    "NAMESPACED",
    "CLUSTER_WIDE",
    "CUSTOM",
    "CustomKind",
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
    "crds": ("ApiextensionsV1Api", "list_custom_resource_definition"),
    "validating_webhooks": (
        "AdmissionregistrationV1Api",
        "list_validating_webhook_configuration",
    ),
    "mutating_webhooks": ("AdmissionregistrationV1Api", "list_mutating_webhook_configuration"),
}


@dataclass(frozen=True)
class CustomKind:
    """A kind served by an extension API, read through ``CustomObjectsApi``; the first
    of ``versions`` the server serves is used. ``namespaced`` kinds are read in the
    namespace, unless ``every_namespace`` (a route's Gateway may live elsewhere)."""

    group: str
    versions: tuple[str, ...]
    plural: str
    namespaced: bool = True
    every_namespace: bool = False


GATEWAY_API = "gateway.networking.k8s.io"
DRA = "resource.k8s.io"
DRA_VERSIONS = ("v1", "v1beta2", "v1beta1")
OLM = "operators.coreos.com"
OLM_V1 = "olm.operatorframework.io"
# view field → custom kind. Not installed (404 for every version): nothing, not a note;
# forbidden (403): named unreadable on the card, as for every kind.
CUSTOM: dict[str, CustomKind] = {
    "catalog_sources": CustomKind(OLM, ("v1alpha1",), "catalogsources"),
    "cluster_service_versions": CustomKind(OLM, ("v1alpha1",), "clusterserviceversions"),
    "install_plans": CustomKind(OLM, ("v1alpha1",), "installplans"),
    "subscriptions": CustomKind(OLM, ("v1alpha1",), "subscriptions"),
    "operator_groups": CustomKind(OLM, ("v1",), "operatorgroups"),
    "cluster_catalogs": CustomKind(OLM_V1, ("v1",), "clustercatalogs", False),
    "cluster_extensions": CustomKind(OLM_V1, ("v1",), "clusterextensions", False),
    "pod_monitorings": CustomKind("monitoring.googleapis.com", ("v1",), "podmonitorings"),
    "gateway_classes": CustomKind(GATEWAY_API, ("v1", "v1beta1"), "gatewayclasses", False),
    "gateways": CustomKind(GATEWAY_API, ("v1", "v1beta1"), "gateways", every_namespace=True),
    "http_routes": CustomKind(GATEWAY_API, ("v1", "v1beta1"), "httproutes"),
    "resource_claims": CustomKind(DRA, DRA_VERSIONS, "resourceclaims"),
    "device_classes": CustomKind(DRA, DRA_VERSIONS, "deviceclasses", False),
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
    "crds": "CustomResourceDefinition",
    "gateway_classes": "GatewayClass",
    "gateways": "Gateway",
    "http_routes": "HTTPRoute",
    "resource_claims": "ResourceClaim",
    "device_classes": "DeviceClass",
}


Inventory = dict[str, Any]  # view field → tuple of items; "unreadable" → tuple of calls


async def _read(access: ClusterAccess, field: str, api: str, method: str, *args: Any) -> Any:
    try:
        items = await access.list_kind(api, method, *args)
    except ClusterApiError as error:
        if error.status in (403, 404):
            return field, None
        raise
    kind = _KIND_OF.get(field)
    if kind:  # list items carry no kind; the owner lookups need it
        items = [{**item, "kind": item.get("kind") or kind} for item in items]
    return field, tuple(items)


async def _read_custom(
    access: ClusterAccess,
    field: str,
    kind: CustomKind,
    namespace: str,
    served: dict[str, tuple[str, ...]] | None,
) -> Any:
    """The items in the first of the kind's versions that discovery lists (every version
    in turn when discovery gave no answer); none when the extension is not installed
    (nothing to check), None when the bot may not read them (403)."""
    versions = kind.versions
    if served is not None:
        versions = tuple(v for v in kind.versions if v in served.get(kind.group, ()))
    for version in versions:
        try:
            if kind.namespaced and not kind.every_namespace:
                items = await access.list_kind(
                    "CustomObjectsApi",
                    "list_namespaced_custom_object",
                    kind.group,
                    version,
                    namespace,
                    kind.plural,
                )
            else:
                items = await access.list_kind(
                    "CustomObjectsApi",
                    "list_cluster_custom_object",
                    kind.group,
                    version,
                    kind.plural,
                )
        except ClusterApiError as error:
            if error.status == 404:
                continue
            if error.status == 403:
                return field, None
            raise
        return field, tuple(items)
    return field, ()


async def _discovery(access: ClusterAccess) -> dict[str, tuple[str, ...]] | None:
    """The served API groups, or None when discovery fails (then every version is tried)."""
    try:
        return await access.served_versions()
    except ClusterApiError:
        return None


async def read_inventory(access: ClusterAccess, namespace: str) -> Inventory:
    calls = [_read(access, f, api, m, namespace) for f, (api, m) in NAMESPACED.items()]
    calls += [_read(access, f, api, m) for f, (api, m) in CLUSTER_WIDE.items()]

    async def custom() -> list[Any]:
        served = await _discovery(access)
        reads = [_read_custom(access, f, kind, namespace, served) for f, kind in CUSTOM.items()]
        return list(await asyncio.gather(*reads))

    *results, extension = await asyncio.gather(*calls, custom())
    results += extension
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
