"""The housekeeping job: periodic maintenance of the state store, run by the leader.

    job = housekeeping_job({"expired_kv": store.kv.purge}, every=timedelta(minutes=5))

Each task is a coroutine function returning how many things it cleaned up. The job runs
the tasks in turn and logs the counts; a failing task is logged and does not stop the
others, and the next firing tries again. Like every scheduled job it runs only on the
elected leader, once per firing across replicas; the tasks are safe to repeat anyway.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta

import structlog
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs.job import JobRun, ScheduledJob
from bot.jobs.schedules import ANCHOR

__all__ = ["HOUSEKEEPING_JOB", "DEFAULT_EVERY", "Task", "housekeeping_job"]

log = structlog.get_logger(__name__)
HOUSEKEEPING_JOB = "housekeeping"
DEFAULT_EVERY = timedelta(minutes=5)

Task = Callable[[], Awaitable[int]]


def housekeeping_job(
    tasks: Mapping[str, Task], *, every: timedelta = DEFAULT_EVERY
) -> ScheduledJob:
    """One job running ``tasks`` every ``every``; only its latest missed firing is caught up."""
    seconds = int(every.total_seconds())
    if seconds < 1:
        raise ValueError(f"the housekeeping interval must be at least a second, got {every}")

    async def run(run: JobRun) -> None:
        counts: dict[str, int] = {}
        for name, task in tasks.items():
            try:
                counts[name] = await task()
            except Exception:
                log.exception("housekeeping_task_failed", task=name, run_id=run.run_id)
        log.info("housekeeping_done", run_id=run.run_id, **counts)

    trigger = IntervalTrigger(seconds=seconds, start_date=ANCHOR, timezone="UTC")
    return ScheduledJob(HOUSEKEEPING_JOB, trigger, run, grace=every)
