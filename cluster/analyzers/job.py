"""Jobs: failed (backoffLimit reached, deadline exceeded) or suspended.

A Job failed by its backoffLimit carries a plan to re-run it (a new Job from its spec);
one past its deadline does not (its spec, the deadline, is the problem), nor a Job the
bot already re-ran, nor a failed re-run."""

from __future__ import annotations

from cluster.analyzers.fixes import object_plan
from cluster.finding import Finding
from cluster.plans import RERUN_OF, FixPlan, RerunJob, rerun_name
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "Job"
PROBLEMS = ("job_failed", "job_suspended")


def _condition(job: Json, kind: str) -> Json:
    conditions = (job.get("status") or {}).get("conditions") or []
    return next((c for c in conditions if c.get("type") == kind and c.get("status") == "True"), {})


def _exit(view: NamespaceView, job: Json) -> str:
    """The last failed pod's container exit, e.g. ``Error (exit 1)``."""
    uid = job["metadata"].get("uid")
    for pod in view.pods:
        refs = pod["metadata"].get("ownerReferences") or []
        if not any(r.get("uid") == uid for r in refs):
            continue
        for status in (pod.get("status") or {}).get("containerStatuses") or []:
            ended = (status.get("state") or {}).get("terminated") or (
                (status.get("lastState") or {}).get("terminated") or {}
            )
            if ended and ended.get("exitCode"):
                return f"{ended.get('reason', 'Error')} (exit {ended['exitCode']})"
    return ""


def _rerun(view: NamespaceView, job: Json, reason: str) -> FixPlan | None:
    name = job["metadata"]["name"]
    labels = job["metadata"].get("labels") or {}
    rerun = any((j["metadata"].get("labels") or {}).get(RERUN_OF) == name for j in view.jobs)
    if reason != "BackoffLimitExceeded" or rerun or RERUN_OF in labels:
        return None
    return object_plan(job, KIND, PROBLEMS[0], RerunJob(rerun_name(job)))


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for job in view.jobs:
        name = str(job["metadata"]["name"])
        spec, status = job.get("spec") or {}, job.get("status") or {}
        key = view.key(KIND, name)
        failed = _condition(job, "Failed")
        if failed:
            evidence = {
                "job": name,
                "reason": str(failed.get("reason", "")),
                "message": str(failed.get("message", "")),
                "failed": str(status.get("failed") or 0),
                "backoff_limit": str(spec.get("backoffLimit", 6)),
                "deadline": str(spec.get("activeDeadlineSeconds", "")),
                "exit": _exit(view, job),
                "owner": view.owner_key(job).split("/", 1)[1],
            }
            plan = _rerun(view, job, str(failed.get("reason", "")))
            findings.append(Finding(key, PROBLEMS[0], evidence, "critical", plan=plan))
        elif spec.get("suspend") and not _condition(job, "Complete"):
            evidence = {"job": name, "owner": view.owner_key(job).split("/", 1)[1]}
            findings.append(Finding(key, PROBLEMS[1], evidence, "info"))
    return findings
