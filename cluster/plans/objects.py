"""Plans beyond workloads: the kinds they target, what a Target saves of each (for Undo),
and how their one operation renders to one request and a diff."""

from __future__ import annotations

from typing import Any

from cluster.patching import strategic_merge
from cluster.plans.base import Patch
from cluster.plans.diff import DiffLine, diff_specs
from cluster.plans.rerun import job_lines

__all__ = ["OBJECT_KINDS", "saved_state", "object_diff"]

OBJECT_KINDS = ("CronJob", "Job", "Node", "Service")


def saved_state(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    """The fields a plan on ``obj`` may change, as they are now (kept in ``Target.template``)."""
    spec = obj.get("spec") or {}
    if kind == "CronJob":
        return {"suspend": bool(spec.get("suspend"))}
    if kind == "Node":
        return {"unschedulable": bool(spec.get("unschedulable"))}
    if kind == "Service":
        return {"selector": dict(spec.get("selector") or {})}
    return {}  # a Job is never changed: a re-run is a new Job, its Undo deletes that one


def object_diff(live: dict[str, Any], patch: Patch) -> tuple[dict[str, Any], tuple[DiffLine, ...]]:
    """The object after ``patch`` (the new Job for a create, {} for a delete) and the diff."""
    if patch.kind == "create":
        return patch.body, job_lines(patch.body, created=True)
    if patch.kind == "delete":
        return {}, job_lines(live, created=False)
    after: dict[str, Any] = strategic_merge(live, patch.body)
    return after, diff_specs(live, after)
