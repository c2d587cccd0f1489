"""RerunJob: create a new Job from a failed Job's spec (its Undo, DeleteRerunJob, deletes
that new Job again).

The new Job is ownerless (a CronJob's controller must not adopt or prune it), named
``<job>-rerun-<hash>`` (the hash of the failed Job's uid and resourceVersion, fixed when
proposed so the plan's hash never drifts) and labelled ``cloudops.bot/rerun-of: <job>``.
The labels and selector the API server put on the failed Job are left out; it adds its own.
DeleteRerunJob refuses a Job that does not carry that label, so Undo can delete nothing
but a re-run the bot made. Only the bot proposes either (``trusted_only``)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from cluster.errors import PlanError
from cluster.plans.base import Patch, RenderContext, refuse_unknown, require_str
from cluster.plans.diff import DiffLine

__all__ = [
    "RerunJob",
    "DeleteRerunJob",
    "RERUN_OF",
    "rerun_name",
    "rerun_body",
    "job_lines",
    "failed_reason",
]

RERUN_OF = "cloudops.bot/rerun-of"
# Labels the API server sets on a Job and its template; a new Job gets its own.
SERVER_LABELS = frozenset(
    {
        "controller-uid",
        "job-name",
        "batch.kubernetes.io/controller-uid",
        "batch.kubernetes.io/job-name",
    }
)
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
MAX_NAME = 63  # the job-name label the API server sets must fit a label value


def failed_reason(job: dict[str, Any]) -> str:
    """The reason of the Job's Failed condition ("" when it has not failed)."""
    conditions = (job.get("status") or {}).get("conditions") or []
    failed = next(
        (c for c in conditions if c.get("type") == "Failed" and c.get("status") == "True"), None
    )
    return str(failed.get("reason") or "Failed") if failed else ""


def rerun_name(job: dict[str, Any]) -> str:
    meta = job["metadata"]
    seed = f"{meta.get('uid', '')}:{meta.get('resourceVersion', '')}"
    suffix = "-rerun-" + hashlib.sha256(seed.encode()).hexdigest()[:5]
    return str(meta["name"])[: MAX_NAME - len(suffix)].rstrip("-") + suffix


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or len(name) > MAX_NAME or not _NAME.match(name):
        raise PlanError(f"{name!r} is not a valid Job name")
    return name


def _without_server_labels(labels: dict[str, Any] | None) -> dict[str, str]:
    return {k: str(v) for k, v in (labels or {}).items() if k not in SERVER_LABELS}


def rerun_body(job: dict[str, Any], name: str) -> dict[str, Any]:
    """The new Job: the failed one's spec and labels, nothing the server or an owner set."""
    meta = job["metadata"]
    spec = json.loads(json.dumps(job.get("spec") or {}))
    for key in ("selector", "manualSelector", "suspend"):
        spec.pop(key, None)
    template = spec.setdefault("template", {})
    template_meta = template.setdefault("metadata", {})
    template_meta["labels"] = _without_server_labels(template_meta.get("labels"))
    if not template_meta["labels"]:
        template_meta.pop("labels")
    if not template_meta:
        template.pop("metadata")
    labels = {**_without_server_labels(meta.get("labels")), RERUN_OF: str(meta["name"])}
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name, "namespace": meta.get("namespace", ""), "labels": labels},
        "spec": spec,
    }


def job_lines(job: dict[str, Any], *, created: bool) -> tuple[DiffLine, ...]:
    """The diff of creating (or deleting) a Job: its name, its re-run label, its images."""
    meta = job["metadata"]
    values = [
        ("metadata.name", str(meta["name"])),
        (f"metadata.labels.{RERUN_OF}", str((meta.get("labels") or {}).get(RERUN_OF, ""))),
    ]
    template = (job.get("spec") or {}).get("template") or {}
    for container in (template.get("spec") or {}).get("containers") or []:
        path = f"spec.template.spec.containers[{container.get('name')}].image"
        values.append((path, str(container.get("image", ""))))
    return tuple(
        DiffLine(path, None, value) if created else DiffLine(path, value, None)
        for path, value in values
        if value
    )


@dataclass(frozen=True)
class RerunJob:
    op: ClassVar[str] = "rerun_job"
    kinds: ClassVar[tuple[str, ...]] = ("Job",)
    changes_template: ClassVar[bool] = False
    trusted_only: ClassVar[bool] = True

    name: str  # of the new Job

    def __post_init__(self) -> None:
        _check_name(self.name)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RerunJob:
        refuse_unknown(data, {"name"}, cls.op)
        return cls(_check_name(require_str(data, "name")))

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "name": self.name}

    def render(self, context: RenderContext) -> Patch:
        job = context.deployment
        if not failed_reason(job):
            raise PlanError(f"Job {job['metadata']['name']} has not failed: nothing to re-run")
        return Patch("create", rerun_body(job, self.name))


@dataclass(frozen=True)
class DeleteRerunJob:
    """Targets the re-run Job itself; ``rerun_of`` must match its label."""

    op: ClassVar[str] = "delete_rerun_job"
    kinds: ClassVar[tuple[str, ...]] = ("Job",)
    changes_template: ClassVar[bool] = False
    trusted_only: ClassVar[bool] = True

    rerun_of: str

    def __post_init__(self) -> None:
        _check_name(self.rerun_of)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeleteRerunJob:
        refuse_unknown(data, {"rerun_of"}, cls.op)
        return cls(_check_name(require_str(data, "rerun_of")))

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "rerun_of": self.rerun_of}

    def render(self, context: RenderContext) -> Patch:
        meta = context.deployment["metadata"]
        if (meta.get("labels") or {}).get(RERUN_OF) != self.rerun_of:
            raise PlanError(f"Job {meta['name']} is not the bot's re-run of {self.rerun_of}")
        return Patch("delete", {"propagationPolicy": "Background"})
