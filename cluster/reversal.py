"""Undo of a plan beyond workloads: the plan that puts back what ``previous`` saved
(suspend the CronJob again, cordon the Node again, the Service's old selector) or, for a
re-run, deletes the Job the plan created. It goes through approval like any plan."""

from __future__ import annotations

from collections.abc import Sequence

from cluster.access import ClusterAccess
from cluster.errors import PlanError
from cluster.plans import (
    CordonNode,
    DeleteRerunJob,
    FixPlan,
    Operation,
    Patch,
    ResumeCronJob,
    SetServiceSelector,
    SuspendCronJob,
    Target,
    UncordonNode,
)

__all__ = ["undo_object"]


async def undo_object(
    access: ClusterAccess, previous: Target, patches: Sequence[Patch], plan_hash: str
) -> FixPlan:
    kind, saved = previous.kind, previous.template
    name = previous.deployment
    operation: Operation
    if kind == "Job":
        created = next((p.body for p in patches if p.kind == "create"), None)
        if created is None:
            raise PlanError("a deleted re-run Job cannot be brought back: nothing to undo")
        name = str(created["metadata"]["name"])
        operation = DeleteRerunJob(rerun_of=previous.deployment)
    live = await access.read(kind, previous.namespace, name)
    spec = live.get("spec") or {}
    if kind == "CronJob":
        if bool(spec.get("suspend")) == saved["suspend"]:
            raise PlanError("the CronJob already has the previous spec: nothing to undo")
        operation = SuspendCronJob() if saved["suspend"] else ResumeCronJob()
    elif kind == "Node":
        if bool(spec.get("unschedulable")) == saved["unschedulable"]:
            raise PlanError("the Node already has the previous spec: nothing to undo")
        operation = CordonNode() if saved["unschedulable"] else UncordonNode()
    elif kind == "Service":
        if dict(spec.get("selector") or {}) == saved["selector"]:
            raise PlanError("the Service already has the previous selector: nothing to undo")
        operation = SetServiceSelector(dict(saved["selector"]))
    return FixPlan(Target.of(live, kind), (operation,), problem=f"undo:{plan_hash[:12]}")
