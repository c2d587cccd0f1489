"""Leader-locked scheduled jobs: digests and scans go out once across replicas.

    scheduler = JobScheduler(store, job_source, timezone="Asia/Shanghai")
    await scheduler.start()        # lease loop + APScheduler; jobs run only on the leader
    await scheduler.stop()

A job run is identified by ``<job id>@<scheduled fire time>``; it is claimed in the dedupe
store before running and its send uses a Feishu ``uuid`` derived from that id, so a crash
or a failover neither repeats nor loses a run (fire times missed within ``grace`` are
caught up by the next leader). ``housekeeping_job`` is the state store's maintenance
(expired key-values, interrupted applies) as one such job.

What a job is and when it fires (``ScheduledJob``, ``JobRun``, schedules, the clock) lives
in ``bot.jobs``, which skills use; it is re-exported here. Only the composition root
(``bot.app.jobs``) starts a scheduler.
"""

from bot.jobs.clock import Clock, system_clock
from bot.jobs.job import JobRun, JobSource, ScheduledJob
from bot.jobs.schedules import Schedule, fire_times, parse_schedule, trigger_for
from bot.scheduler.housekeeping import housekeeping_job
from bot.scheduler.lease import LeaderLease
from bot.scheduler.runner import JobScheduler

__all__ = [
    "Clock",
    "JobRun",
    "JobScheduler",
    "JobSource",
    "LeaderLease",
    "Schedule",
    "ScheduledJob",
    "fire_times",
    "housekeeping_job",
    "parse_schedule",
    "system_clock",
    "trigger_for",
]
