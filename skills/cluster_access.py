"""The cluster for skills: ``services.cluster``'s access object, or an error naming Kubernetes;
and the bounds of fix plans (the ``fixes`` section)."""

from __future__ import annotations

from typing import Any

from bot.registry import DependencyError
from bot.services import Cluster
from cluster import ClusterAccess, PlanLimits
from config.settings import Settings

__all__ = ["access_of", "require_access", "plan_limits"]


def access_of(cluster: Cluster | None) -> ClusterAccess | None:
    """The access object of ``services.cluster`` (None without a cluster)."""
    return cluster.access if cluster is not None else None


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
