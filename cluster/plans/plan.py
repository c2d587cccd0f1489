"""FixPlan: typed operations from the allow-list, a target, a stable content hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cluster.errors import PlanError
from cluster.patching import combine_strategic, json_patch, strategic_merge
from cluster.plans.base import Patch, PlanLimits, RenderContext
from cluster.plans.diff import DiffLine, diff_specs
from cluster.plans.objects import OBJECT_KINDS, object_diff, saved_state
from cluster.plans.probe import PatchProbe
from cluster.plans.rerun import DeleteRerunJob, RerunJob
from cluster.plans.resources import PatchResources
from cluster.plans.restart import RolloutRestart
from cluster.plans.restore import RestoreTemplate
from cluster.plans.rollback import RollbackToPrevious, bare_template, revision_of
from cluster.plans.scale import ScaleReplicas
from cluster.plans.selector import SetServiceSelector
from cluster.plans.switches import CordonNode, ResumeCronJob, SuspendCronJob, UncordonNode

__all__ = [
    "OPERATIONS",
    "Operation",
    "Target",
    "FixPlan",
    "RenderedPlan",
    "RenderedStep",
    "parse_operation",
]

Operation = (
    PatchProbe | PatchResources | ScaleReplicas | RolloutRestart | RollbackToPrevious
    | RestoreTemplate | ResumeCronJob | SuspendCronJob | UncordonNode | CordonNode
    | SetServiceSelector | RerunJob | DeleteRerunJob
)  # fmt: skip
OPERATIONS: dict[str, Any] = {
    kind.op: kind
    for kind in (
        PatchProbe, PatchResources, ScaleReplicas, RolloutRestart, RollbackToPrevious,
        RestoreTemplate, ResumeCronJob, SuspendCronJob, UncordonNode, CordonNode,
        SetServiceSelector, RerunJob, DeleteRerunJob,
    )
}  # fmt: skip
MAX_OPERATIONS = 10
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet")
TARGET_KINDS = WORKLOAD_KINDS + OBJECT_KINDS


def parse_operation(data: Any, *, trusted: bool = False) -> Operation:
    """The only way from JSON to an operation: unknown kinds and fields are refused, and so
    are bot-only operations (``restore_template``) unless the JSON is the bot's own stored,
    hash-checked plan (``trusted``)."""
    if not isinstance(data, dict):
        raise PlanError(f"an operation must be an object, got {type(data).__name__}")
    kind = OPERATIONS.get(data.get("op"))  # type: ignore[arg-type]
    if kind is not None and getattr(kind, "trusted_only", False) and not trusted:
        raise PlanError(
            f"operation {data.get('op')!r} may only come from the bot's own plans "
            "(its diagnosis or its Undo)"
        )
    if kind is None:
        allowed = ", ".join(sorted(OPERATIONS))
        raise PlanError(f"operation {data.get('op')!r} is not allowed (allowed: {allowed})")
    operation: Operation = kind.from_dict(data)
    return operation


@dataclass(frozen=True)
class Target:
    """The deployment as it was when the plan was proposed (and its spec, for Undo).

    ``kind`` may also be a StatefulSet or DaemonSet, or beyond workloads a CronJob, Job,
    Node (namespace "") or Service; ``deployment`` is then that object's name. For those
    ``revision`` and ``replicas`` are 0 and ``template`` holds the fields a plan on it may
    change, as they were (``cluster.plans.objects.saved_state``). The JSON of a Deployment
    target has no ``kind``, so plans stored before kinds existed keep their hash."""

    namespace: str
    deployment: str
    resource_version: str
    revision: int
    replicas: int
    template: dict[str, Any] = field(compare=True)
    kind: str = "Deployment"

    def __post_init__(self) -> None:
        if self.kind not in TARGET_KINDS:
            raise PlanError(f"target kind must be one of {TARGET_KINDS}, got {self.kind!r}")

    @classmethod
    def of(cls, deployment: dict[str, Any], kind: str | None = None) -> Target:
        meta = deployment["metadata"]
        kind = kind or str(deployment.get("kind") or "Deployment")
        if kind in OBJECT_KINDS:
            return cls(
                namespace=str(meta.get("namespace") or ""),
                deployment=str(meta["name"]),
                resource_version=str(meta["resourceVersion"]),
                revision=0,
                replicas=0,
                template=saved_state(kind, deployment),
                kind=kind,
            )
        return cls(
            namespace=meta["namespace"],
            deployment=meta["name"],
            resource_version=str(meta["resourceVersion"]),
            revision=revision_of(deployment),
            replicas=int(deployment["spec"].get("replicas", 1)),
            template=bare_template(deployment["spec"]["template"]),
            kind=kind,
        )

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.kind}/{self.deployment}"

    @property
    def label(self) -> str:
        """``web`` for a Deployment, ``StatefulSet/db`` otherwise (cards, records)."""
        return self.deployment if self.kind == "Deployment" else f"{self.kind}/{self.deployment}"

    def to_dict(self) -> dict[str, Any]:
        kind = {} if self.kind == "Deployment" else {"kind": self.kind}  # old hashes hold
        return {
            **kind,
            "namespace": self.namespace,
            "deployment": self.deployment,
            "resource_version": self.resource_version,
            "revision": self.revision,
            "replicas": self.replicas,
            "template": self.template,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Target:
        expected = {
            "namespace",
            "deployment",
            "resource_version",
            "revision",
            "replicas",
            "template",
        }
        if not isinstance(data, dict) or set(data) - {"kind"} != expected:
            raise PlanError(f"target must have exactly the fields {sorted(expected)} (+ kind)")
        if not isinstance(data["template"], dict):
            raise PlanError("target.template must be an object")
        return cls(
            namespace=str(data["namespace"]),
            deployment=str(data["deployment"]),
            resource_version=str(data["resource_version"]),
            revision=int(data["revision"]),
            replicas=int(data["replicas"]),
            template=data["template"],
            kind=str(data.get("kind", "Deployment")),
        )


@dataclass(frozen=True)
class RenderedStep:
    """One operation on its own: its patch and the before → after lines it makes."""

    operation: Operation
    patch: Patch
    diff: tuple[DiffLine, ...]


@dataclass(frozen=True)
class RenderedPlan:
    """What is sent (one atomic patch) and what changes, in total and per operation."""

    patches: tuple[Patch, ...]
    diff: tuple[DiffLine, ...]
    after: dict[str, Any]
    steps: tuple[RenderedStep, ...] = ()


@dataclass(frozen=True)
class FixPlan:
    target: Target
    operations: tuple[Operation, ...]
    problem: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "operations", tuple(self.operations))
        if not 1 <= len(self.operations) <= MAX_OPERATIONS:
            raise PlanError(f"a plan needs 1 to {MAX_OPERATIONS} operations")
        for operation in self.operations:
            if type(operation) not in OPERATIONS.values():
                raise PlanError(f"{type(operation).__name__} is not an allowed operation")
        rollbacks = [
            op for op in self.operations if isinstance(op, RollbackToPrevious | RestoreTemplate)
        ]
        others = [
            op
            for op in self.operations
            if not isinstance(op, RollbackToPrevious | RestoreTemplate | ScaleReplicas)
        ]
        if rollbacks and (len(rollbacks) > 1 or others):
            raise PlanError("a rollback cannot be combined with other template changes")
        if self.target.kind == "DaemonSet" and any(
            isinstance(op, ScaleReplicas | RollbackToPrevious) for op in self.operations
        ):
            raise PlanError("a DaemonSet has no replicas and no ReplicaSets to roll back to")
        if self.target.kind == "Deployment" and any(
            isinstance(op, RestoreTemplate) for op in self.operations
        ):
            raise PlanError("a Deployment is rolled back through its ReplicaSets")
        kind = self.target.kind
        for operation in self.operations:
            if kind not in getattr(operation, "kinds", WORKLOAD_KINDS):
                raise PlanError(f"{operation.op} does not apply to a {kind}")
        if kind in OBJECT_KINDS and len(self.operations) != 1:
            raise PlanError(f"a plan on a {kind} has exactly one operation")

    # -- serialisation ----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.to_dict(),
            "operations": [op.to_dict() for op in self.operations],
            "problem": self.problem,
        }

    @classmethod
    def from_dict(cls, data: Any, *, trusted: bool = False) -> FixPlan:
        """``trusted``: the bot's own stored plan (its hash checked by the caller)."""
        if not isinstance(data, dict):
            raise PlanError("a plan must be an object")
        unknown = sorted(set(data) - {"target", "operations", "problem"})
        if unknown:
            raise PlanError(f"plan: unknown field(s) {', '.join(unknown)}")
        operations = data.get("operations")
        if not isinstance(operations, list):
            raise PlanError("plan.operations must be a list")
        return cls(
            target=Target.from_dict(data.get("target")),
            operations=tuple(parse_operation(op, trusted=trusted) for op in operations),
            problem=str(data.get("problem") or ""),
        )

    def canonical_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    def merged(self, other: FixPlan) -> FixPlan:
        """One plan doing both (same deployment, same resourceVersion)."""
        if other.target != self.target:
            raise PlanError("only plans for the same deployment state can be merged")
        problem = ",".join(p for p in (self.problem, other.problem) if p)
        return FixPlan(self.target, self.operations + other.operations, problem)

    # -- rendering --------------------------------------------------------------------
    def render(
        self,
        deployment: dict[str, Any],
        replica_sets: tuple[dict[str, Any], ...] | list[dict[str, Any]] = (),
        limits: PlanLimits | None = None,
    ) -> RenderedPlan:
        """Patches to send and the diff they make, against the live ``deployment`` (the
        live object, for a plan beyond workloads: one request, its own kind of diff)."""
        context = RenderContext(deployment, tuple(replica_sets), limits or PlanLimits())
        if self.target.kind in OBJECT_KINDS:
            operation = self.operations[0]
            patch = operation.render(context)
            after, lines = object_diff(deployment, patch)
            if not lines:
                raise PlanError(f"the plan changes nothing in the {self.target.kind}")
            step = RenderedStep(operation, patch, lines)
            return RenderedPlan((patch,), lines, after, (step,))
        rendered = [op.render(context) for op in self.operations]
        steps = tuple(
            RenderedStep(op, patch, diff_specs(deployment, _apply(deployment, patch)))
            for op, patch in zip(self.operations, rendered, strict=True)
        )
        operations = [step for p in rendered if p.kind == "json" for step in p.body]
        strategic = [p.body for p in rendered if p.kind == "strategic"]
        if operations:
            # One atomic request: the only strategic op allowed beside a rollback is a scale.
            for body in strategic:
                replicas = body["spec"]["replicas"]
                operations.append({"op": "replace", "path": "/spec/replicas", "value": replicas})
            patches = [Patch("json", operations)]
        else:
            body = strategic[0]
            for more in strategic[1:]:
                body = combine_strategic(body, more)
            patches = [Patch("strategic", body)]
        after = deployment
        for patch in patches:
            after = _apply(after, patch)
        diff = diff_specs(deployment, after)
        if not diff:
            raise PlanError("the plan changes nothing in the deployment")
        return RenderedPlan(tuple(patches), diff, after, steps)


def _apply(document: dict[str, Any], patch: Patch) -> dict[str, Any]:
    merge = json_patch if patch.kind == "json" else strategic_merge
    result: dict[str, Any] = merge(document, patch.body)
    return result
