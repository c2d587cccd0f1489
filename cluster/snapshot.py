"""A typed, read-only picture of one Deployment and everything around it, for rules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cluster.errors import PlanError
from cluster.plans import FixPlan, Operation, Target
from cluster.plans.rollback import revision_of

__all__ = ["ContainerUsage", "WorkloadSnapshot", "Json"]

Json = dict[str, Any]


@dataclass(frozen=True)
class ContainerUsage:
    """Observed peak use of one container across the workload's pods."""

    cpu_millicores: float
    memory_bytes: float


@dataclass(frozen=True)
class WorkloadSnapshot:
    """One pod-template owner (``kind``: Deployment, StatefulSet or DaemonSet) and what hangs
    off it. The field keeps its historical name ``deployment``; ``workload`` is the alias."""

    deployment: Json
    replica_sets: tuple[Json, ...] = ()
    pods: tuple[Json, ...] = ()
    events: tuple[Json, ...] = ()  # on the deployment, its ReplicaSets and pods
    logs: Mapping[str, str] = field(default_factory=dict)  # "pod/container" → tail
    previous_logs: Mapping[str, str] = field(default_factory=dict)
    nodes: tuple[Json, ...] = ()
    quotas: tuple[Json, ...] = ()
    services: tuple[Json, ...] = ()
    endpoints: tuple[Json, ...] = ()
    hpas: tuple[Json, ...] = ()
    config_keys: Mapping[str, frozenset[str]] = field(default_factory=dict)
    usage: Mapping[str, ContainerUsage] | None = None  # container → observed use
    kind: str = "Deployment"

    # -- identity ---------------------------------------------------------------------
    @property
    def namespace(self) -> str:
        return str(self.deployment["metadata"]["namespace"])

    @property
    def name(self) -> str:
        return str(self.deployment["metadata"]["name"])

    @property
    def workload(self) -> Json:
        return self.deployment

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.kind}/{self.name}"

    @property
    def revision(self) -> int:
        return revision_of(self.deployment)

    # -- spec and status --------------------------------------------------------------
    @property
    def containers(self) -> list[Json]:
        return list(self.deployment["spec"]["template"]["spec"].get("containers") or [])

    def container(self, name: str) -> Json | None:
        return next((c for c in self.containers if c["name"] == name), None)

    @property
    def status(self) -> Json:
        return dict(self.deployment.get("status") or {})

    def condition(self, kind: str) -> Json | None:
        return next((c for c in self.status.get("conditions") or [] if c.get("type") == kind), None)

    def container_statuses(self) -> Iterator[tuple[Json, Json]]:
        """(pod, containerStatus) for every container of every pod."""
        for pod in self.pods:
            for status in (pod.get("status") or {}).get("containerStatuses") or []:
                yield pod, status

    # -- events -----------------------------------------------------------------------
    def events_for(self, kind: str, *, reason: str | None = None) -> list[Json]:
        return [
            e
            for e in self.events
            if (e.get("involvedObject") or {}).get("kind") == kind
            and (reason is None or e.get("reason") == reason)
        ]

    # -- history and plans ------------------------------------------------------------
    def previous_revision(self) -> int | None:
        """The newest revision older than the current one that a ReplicaSet still holds."""
        older = [revision_of(rs) for rs in self.replica_sets if 0 < revision_of(rs) < self.revision]
        return max(older, default=None)

    def plan(self, problem: str, *operations: Operation) -> FixPlan | None:
        """A typed plan on this workload (the executor patches Deployments, StatefulSets
        and DaemonSets); None when the operations do not fit its kind."""
        try:
            return FixPlan(Target.of(self.deployment, self.kind), tuple(operations), problem)
        except PlanError:
            return None
