"""The one obvious, safe fix an analyzer's finding may carry, as a typed plan on the object
(a CronJob, Job, Node or Service). Anything less clear-cut stays advice: no plan."""

from __future__ import annotations

from cluster.errors import PlanError
from cluster.plans import FixPlan, Operation, Target
from cluster.snapshot import Json

__all__ = ["object_plan"]


def object_plan(obj: Json, kind: str, problem: str, operation: Operation) -> FixPlan | None:
    """A plan pinned to ``obj`` as read; None when it does not fit (then: advice only)."""
    try:
        return FixPlan(Target.of(obj, kind), (operation,), problem)
    except (PlanError, KeyError):
        return None
