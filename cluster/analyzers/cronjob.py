"""CronJobs: suspended, an invalid schedule, no successful run for too long, too many jobs
running at once."""

from __future__ import annotations

from datetime import datetime

from cluster.analyzers.fixes import object_plan
from cluster.cron import parse_cron
from cluster.finding import Finding
from cluster.plans import ResumeCronJob
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "CronJob"
PROBLEMS = (
    "cronjob_schedule_invalid",
    "cronjob_suspended",
    "cronjob_no_recent_success",
    "cronjob_too_many_active",
    "cronjob_deadline_invalid",
)
MISSED_RUNS = 3  # no success for this many periods (and at least an hour)
MIN_STALE_SECONDS = 3600
ACTIVE_LIMIT = 3


def _time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _stale(view: NamespaceView, cron_job: Json, schedule: str) -> dict[str, str] | None:
    status = cron_job.get("status") or {}
    success = _time(status.get("lastSuccessfulTime"))
    scheduled = _time(status.get("lastScheduleTime"))
    since = success or _time(cron_job["metadata"].get("creationTimestamp"))
    if since is None or scheduled is None or (success is not None and success >= scheduled):
        return None  # never scheduled yet, or its latest run succeeded
    period = parse_cron(schedule).period(since)
    if period is None:
        return None
    age = view.now - since
    allowed = max((period * MISSED_RUNS).total_seconds(), MIN_STALE_SECONDS)
    if age.total_seconds() < allowed:
        return None
    return {
        "last_success": status.get("lastSuccessfulTime") or "never",
        "last_schedule": str(status.get("lastScheduleTime")),
        "hours": str(round(age.total_seconds() / 3600, 1)),
    }


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for cron_job in view.cron_jobs:
        name = str(cron_job["metadata"]["name"])
        spec, status = cron_job.get("spec") or {}, cron_job.get("status") or {}
        key = view.key(KIND, name)
        schedule = str(spec.get("schedule", ""))
        try:
            parse_cron(schedule)
        except ValueError as error:
            evidence = {"cron_job": name, "schedule": schedule, "error": str(error)}
            findings.append(Finding(key, PROBLEMS[0], evidence, "critical"))
            continue
        deadline = spec.get("startingDeadlineSeconds")
        if isinstance(deadline, int) and deadline < 0:
            evidence = {"cron_job": name, "deadline": str(deadline)}
            findings.append(Finding(key, PROBLEMS[4], evidence, "critical"))
        if spec.get("suspend"):
            # Obvious and safe: resume it (its schedule parsed above); Undo suspends again.
            evidence = {"cron_job": name, "schedule": schedule}
            plan = object_plan(cron_job, KIND, PROBLEMS[1], ResumeCronJob())
            findings.append(Finding(key, PROBLEMS[1], evidence, "warning", plan=plan))
            continue
        stale = _stale(view, cron_job, schedule)
        if stale is not None:
            evidence = {"cron_job": name, "schedule": schedule, **stale}
            findings.append(Finding(key, PROBLEMS[2], evidence, "critical"))
        active = len(status.get("active") or [])
        if active >= ACTIVE_LIMIT:
            evidence = {
                "cron_job": name,
                "active": str(active),
                "policy": str(spec.get("concurrencyPolicy", "Allow")),
            }
            findings.append(Finding(key, PROBLEMS[3], evidence, "warning"))
    return findings
