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
