"""Job and CronJob controllers. A Job's pod ends at its container's first exit (the kubelet
would restart it; the Job controller records it instead): exit 0 succeeds, anything else
fails and counts against backoffLimit; activeDeadlineSeconds ends the whole Job."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from cluster.cron import parse_cron
from sandbox.cluster.endings import finish_pod
from sandbox.cluster.kubelet import new_pod
from sandbox.cluster.quota import quota_refusal
from sandbox.cluster.statefulsets import active_pods, owner_ref
from sandbox.cluster.world import Obj, World, clone

__all__ = ["reconcile_jobs", "reconcile_cron_jobs", "finish_pod"]

_CATCH_UP = 2000  # fire times looked at per CronJob and tick


def _owned(world: World, owner: Obj, plural: str) -> list[Obj]:
    uid = owner["metadata"]["uid"]
    return [
        obj
        for obj in world.items(plural, owner["metadata"]["namespace"])
        if any(r.get("uid") == uid for r in obj["metadata"].get("ownerReferences", []))
    ]


def _exit_of(pod: Obj) -> int | None:
    for container in pod.get("status", {}).get("containerStatuses") or []:
        last = (container.get("lastState") or {}).get("terminated")
        if last:
            return int(last.get("exitCode", 1))
    return None


def _condition(kind: str, reason: str, message: str, now: str) -> dict[str, Any]:
    return {
        "type": kind,
        "status": "True",
        "reason": reason,
        "message": message,
        "lastProbeTime": now,
        "lastTransitionTime": now,
    }


def _job(world: World, job: Obj) -> None:
    spec, status = job["spec"], clone(job.get("status") or {})
    done = {c["type"] for c in status.get("conditions") or [] if c.get("status") == "True"}
    if done & {"Complete", "Failed"}:
        return
    uid = job["metadata"]["uid"]
    if spec.get("suspend"):
        status["conditions"] = [
            _condition("Suspended", "JobSuspended", "Job suspended", world.now())
        ]
        world.set_field(job, "status", status)
        return
    started = world.progress_at.setdefault(uid, world.clock)
    status.setdefault("startTime", world.at(started))
    for pod in active_pods(world, job):
        code = _exit_of(pod)
        if code is not None:
            finish_pod(world, pod, "Succeeded" if code == 0 else "Failed")
    pods = _owned(world, job, "pods")
    succeeded = sum(1 for p in pods if p.get("status", {}).get("phase") == "Succeeded")
    failed = sum(1 for p in pods if p.get("status", {}).get("phase") == "Failed")
    deadline = spec.get("activeDeadlineSeconds")
    ending: tuple[str, str, str] | None = None
    if succeeded >= int(spec.get("completions", 1)):
        ending = ("Complete", "", "")
        status["completionTime"] = world.now()
    elif failed > int(spec.get("backoffLimit", 6)):
        ending = ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")
    elif deadline is not None and world.clock - started > int(deadline):
        ending = ("Failed", "DeadlineExceeded", "Job was active longer than specified deadline")
    if ending is not None:
        for pod in active_pods(world, job):
            finish_pod(world, pod, "Failed", ending[1], ending[2])
        status["conditions"] = [_condition(ending[0], ending[1], ending[2], world.now())]
        world.event(
            job, ending[1] or "Completed", ending[2] or "Job completed", warning=bool(ending[1])
        )
    else:
        running = active_pods(world, job)
        for _ in range(int(spec.get("parallelism", 1)) - len(running)):
            pod = new_pod(world, job, owner_ref(job))
            refusal = quota_refusal(world, pod)
            if refusal:
                world.event(job, "FailedCreate", refusal, warning=True)
                break
            world.add(pod)
            world.event(job, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}")
    status.update(active=len(active_pods(world, job)), succeeded=succeeded, failed=failed)
    world.set_field(job, "status", {k: v for k, v in status.items() if v or k == "active"})


def reconcile_jobs(world: World) -> None:
    for job in world.items("jobs"):
        _job(world, job)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _latest_due(schedule: Any, after: datetime, now: datetime) -> datetime | None:
    due: datetime | None = None
    moment = after
    for _ in range(_CATCH_UP):
        fire = schedule.next_after(moment)
        if fire is None or fire > now:
            break
        due = moment = fire
    return due


def _cron_job(world: World, cron_job: Obj) -> None:
    spec, status = cron_job["spec"], clone(cron_job.get("status") or {})
    try:
        schedule = parse_cron(str(spec.get("schedule", "")))
    except ValueError as error:
        message = f"unparseable schedule: {spec.get('schedule')!r} : {error}"
        world.event(cron_job, "UnparseableSchedule", message, warning=True)
        return
    jobs = _owned(world, cron_job, "jobs")
    finished = {
        j["metadata"]["name"]
        for j in jobs
        if any(
            c.get("type") in ("Complete", "Failed")
            for c in j.get("status", {}).get("conditions") or []
        )
    }
    active = [j for j in jobs if j["metadata"]["name"] not in finished]
    completions = [
        j["status"]["completionTime"] for j in jobs if j.get("status", {}).get("completionTime")
    ]
    if completions:
        status["lastSuccessfulTime"] = max([*completions, status.get("lastSuccessfulTime", "")])
    now = world.start + timedelta(seconds=world.clock)
    last = _time(status.get("lastScheduleTime") or cron_job["metadata"]["creationTimestamp"])
    due = None if spec.get("suspend") else _latest_due(schedule, last, now)
    forbid = spec.get("concurrencyPolicy") == "Forbid" and active
    if due is not None and not forbid:
        name = f"{cron_job['metadata']['name']}-{int(due.timestamp()) // 60}"
        template = clone(spec.get("jobTemplate") or {})
        job = {
            "kind": "Job",
            "apiVersion": "batch/v1",
            "metadata": {
                "name": name,
                "namespace": cron_job["metadata"]["namespace"],
                "labels": dict((template.get("metadata") or {}).get("labels") or {}),
                "ownerReferences": [owner_ref(cron_job)],
            },
            "spec": template.get("spec") or {},
        }
        active.append(world.add(job))
        world.event(cron_job, "SuccessfulCreate", f"Created job {name}")
        status["lastScheduleTime"] = due.strftime("%Y-%m-%dT%H:%M:%SZ")
    status["active"] = [
        {
            "kind": "Job",
            "name": j["metadata"]["name"],
            "namespace": j["metadata"]["namespace"],
            "uid": j["metadata"]["uid"],
            "apiVersion": "batch/v1",
        }
        for j in active
    ]
    world.set_field(cron_job, "status", status)


def reconcile_cron_jobs(world: World) -> None:
    for cron_job in world.items("cronjobs"):
        _cron_job(world, cron_job)
