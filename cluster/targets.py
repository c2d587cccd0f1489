"""``svc/orders``, ``sts/db``, ``node/n1`` ...: the object a user names, as (Kind, name)."""

from __future__ import annotations

__all__ = ["KIND_ALIASES", "CLUSTER_SCOPED", "WEBHOOK_KINDS", "parse_target", "target_key"]

KIND_ALIASES: dict[str, str] = {
    "deploy": "Deployment",
    "deployment": "Deployment",
    "svc": "Service",
    "service": "Service",
    "sts": "StatefulSet",
    "statefulset": "StatefulSet",
    "ds": "DaemonSet",
    "daemonset": "DaemonSet",
    "job": "Job",
    "cj": "CronJob",
    "cronjob": "CronJob",
    "ing": "Ingress",
    "ingress": "Ingress",
    "pvc": "PersistentVolumeClaim",
    "persistentvolumeclaim": "PersistentVolumeClaim",
    "node": "Node",
    "no": "Node",
    "hpa": "HorizontalPodAutoscaler",
    "horizontalpodautoscaler": "HorizontalPodAutoscaler",
    "pdb": "PodDisruptionBudget",
    "poddisruptionbudget": "PodDisruptionBudget",
    "netpol": "NetworkPolicy",
    "networkpolicy": "NetworkPolicy",
    "cm": "ConfigMap",
    "configmap": "ConfigMap",
    "sa": "ServiceAccount",
    "serviceaccount": "ServiceAccount",
    "vwc": "ValidatingWebhookConfiguration",
    "validatingwebhookconfiguration": "ValidatingWebhookConfiguration",
    "mwc": "MutatingWebhookConfiguration",
    "mutatingwebhookconfiguration": "MutatingWebhookConfiguration",
    "catsrc": "CatalogSource",
    "catalogsource": "CatalogSource",
    "csv": "ClusterServiceVersion",
    "clusterserviceversion": "ClusterServiceVersion",
    "ip": "InstallPlan",
    "installplan": "InstallPlan",
    "sub": "Subscription",
    "subscription": "Subscription",
    "og": "OperatorGroup",
    "operatorgroup": "OperatorGroup",
    "clustercatalog": "ClusterCatalog",
    "clusterextension": "ClusterExtension",
    "podmonitoring": "PodMonitoring",
    "crd": "CustomResourceDefinition",
    "customresourcedefinition": "CustomResourceDefinition",
    "gatewayclass": "GatewayClass",
    "gc": "GatewayClass",
    "gateway": "Gateway",
    "gtw": "Gateway",
    "httproute": "HTTPRoute",
    "resourceclaim": "ResourceClaim",
}
WEBHOOK_KINDS = frozenset({"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"})
CLUSTER_SCOPED = (
    frozenset(
        {"Node", "CustomResourceDefinition", "GatewayClass", "ClusterCatalog", "ClusterExtension"}
    )
    | WEBHOOK_KINDS
)


def parse_target(text: str) -> tuple[str, str]:
    """``"svc/orders"`` → ("Service", "orders"); a plain name is a Deployment. Raises
    ValueError for an unknown kind."""
    if "/" not in text:
        return "Deployment", text
    alias, _, name = text.partition("/")
    kind = KIND_ALIASES.get(alias.lower().rstrip("s")) or KIND_ALIASES.get(alias.lower())
    if kind is None:
        raise ValueError(f"unknown kind {alias!r}")
    return kind, name


def target_key(namespace: str, kind: str, name: str) -> str:
    return f"{'' if kind in CLUSTER_SCOPED else namespace}/{kind}/{name}"
