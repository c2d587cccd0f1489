"""One step of every controller for the kinds beyond Deployments (called by ``step``)."""

from __future__ import annotations

from sandbox.cluster.autoscaling import reconcile_autoscalers
from sandbox.cluster.daemonsets import reconcile_daemon_sets
from sandbox.cluster.definitions import reconcile_definitions
from sandbox.cluster.disruption import reconcile_budgets
from sandbox.cluster.gateways import reconcile_gateways
from sandbox.cluster.jobs import reconcile_cron_jobs, reconcile_jobs
from sandbox.cluster.nodes import evict_under_pressure
from sandbox.cluster.statefulsets import reconcile_stateful_sets
from sandbox.cluster.storage import reconcile_claims
from sandbox.cluster.world import World

__all__ = ["before_kubelet", "after_kubelet"]


def before_kubelet(world: World) -> None:
    """Controllers that create pods and bind their claims."""
    reconcile_claims(world)
    reconcile_cron_jobs(world)
    reconcile_jobs(world)
    reconcile_stateful_sets(world)
    reconcile_daemon_sets(world)


def after_kubelet(world: World) -> None:
    """Controllers that read what the kubelet did."""
    evict_under_pressure(world)
    reconcile_jobs(world)
    reconcile_stateful_sets(world)
    reconcile_daemon_sets(world)
    reconcile_budgets(world)
    reconcile_autoscalers(world)
    reconcile_definitions(world)
    reconcile_gateways(world)
