"""The API resources the simulator serves, keyed as the URL names them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Resource", "RESOURCES", "by_kind", "by_path"]


@dataclass(frozen=True)
class Resource:
    group_version: str  # "v1", "apps/v1" ...
    plural: str
    kind: str
    namespaced: bool = True

    @property
    def api_version(self) -> str:
        return self.group_version


KIND_RESOURCES: tuple[Resource, ...] = (  # served for /diagnose across kinds
    Resource("apps/v1", "statefulsets", "StatefulSet"),
    Resource("apps/v1", "daemonsets", "DaemonSet"),
    Resource("batch/v1", "jobs", "Job"),
    Resource("batch/v1", "cronjobs", "CronJob"),
    Resource("networking.k8s.io/v1", "ingresses", "Ingress"),
    Resource("networking.k8s.io/v1", "ingressclasses", "IngressClass", namespaced=False),
    Resource("networking.k8s.io/v1", "networkpolicies", "NetworkPolicy"),
    Resource("v1", "persistentvolumeclaims", "PersistentVolumeClaim"),
    Resource("v1", "persistentvolumes", "PersistentVolume", namespaced=False),
    Resource("storage.k8s.io/v1", "storageclasses", "StorageClass", namespaced=False),
    Resource("policy/v1", "poddisruptionbudgets", "PodDisruptionBudget"),
    Resource("v1", "limitranges", "LimitRange"),
    Resource("v1", "serviceaccounts", "ServiceAccount"),
    Resource(
        "admissionregistration.k8s.io/v1",
        "validatingwebhookconfigurations",
        "ValidatingWebhookConfiguration",
        namespaced=False,
    ),
    Resource(
        "admissionregistration.k8s.io/v1",
        "mutatingwebhookconfigurations",
        "MutatingWebhookConfiguration",
        namespaced=False,
    ),
    # custom resources: OLM v0 and v1, Google Managed Prometheus (status seeded as the
    # operators would write it; no controller of the simulator changes them)
    Resource("operators.coreos.com/v1alpha1", "catalogsources", "CatalogSource"),
    Resource("operators.coreos.com/v1alpha1", "clusterserviceversions", "ClusterServiceVersion"),
    Resource("operators.coreos.com/v1alpha1", "installplans", "InstallPlan"),
    Resource("operators.coreos.com/v1alpha1", "subscriptions", "Subscription"),
    Resource("operators.coreos.com/v1", "operatorgroups", "OperatorGroup"),
    Resource("olm.operatorframework.io/v1", "clustercatalogs", "ClusterCatalog", namespaced=False),
    Resource(
        "olm.operatorframework.io/v1", "clusterextensions", "ClusterExtension", namespaced=False
    ),
    Resource("monitoring.googleapis.com/v1", "podmonitorings", "PodMonitoring"),
    # Extension APIs: as if their CRDs were installed (Gateway API v1, DRA v1beta1, the
    # Kubernetes 1.32 version, so that readers fall back from v1).
    Resource(
        "apiextensions.k8s.io/v1",
        "customresourcedefinitions",
        "CustomResourceDefinition",
        namespaced=False,
    ),
    Resource("gateway.networking.k8s.io/v1", "gatewayclasses", "GatewayClass", namespaced=False),
    Resource("gateway.networking.k8s.io/v1", "gateways", "Gateway"),
    Resource("gateway.networking.k8s.io/v1", "httproutes", "HTTPRoute"),
    Resource("resource.k8s.io/v1beta1", "resourceclaims", "ResourceClaim"),
    Resource("resource.k8s.io/v1beta1", "deviceclasses", "DeviceClass", namespaced=False),
    # An operator's kind no analyzer knows by name: judged generically through its CRD.
    Resource("cert-manager.io/v1", "certificates", "Certificate"),
)

RESOURCES: tuple[Resource, ...] = (
    Resource("apps/v1", "deployments", "Deployment"),
    Resource("apps/v1", "replicasets", "ReplicaSet"),
    Resource("v1", "pods", "Pod"),
    Resource("v1", "events", "Event"),
    Resource("v1", "nodes", "Node", namespaced=False),
    Resource("v1", "namespaces", "Namespace", namespaced=False),
    Resource("v1", "services", "Service"),
    Resource("v1", "endpoints", "Endpoints"),
    Resource("v1", "configmaps", "ConfigMap"),
    Resource("v1", "secrets", "Secret"),
    Resource("v1", "resourcequotas", "ResourceQuota"),
    Resource("autoscaling/v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler"),
    Resource("metrics.k8s.io/v1beta1", "pods", "PodMetrics"),
    *KIND_RESOURCES,
)


def by_kind(kind: str) -> Resource:
    for resource in RESOURCES:
        if resource.kind == kind:
            return resource
    raise ValueError(f"the simulator does not store kind {kind!r}")


def by_path(group_version: str, plural: str) -> Resource | None:
    for resource in RESOURCES:
        if resource.group_version == group_version and resource.plural == plural:
            return resource
    return None
