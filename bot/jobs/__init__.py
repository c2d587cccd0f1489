"""What a scheduled job is and when it fires: the declarations skills make.

Skills build :class:`ScheduledJob` values (an id, an APScheduler trigger, a coroutine
taking a :class:`JobRun`); the composition root (``bot.app.jobs``) hands them to the
leader-locked runner in ``bot.scheduler``, which skills never import.
"""

from bot.jobs.clock import Clock, system_clock
from bot.jobs.job import JobRun, JobSource, ScheduledJob, run_id_for
from bot.jobs.schedules import (
    ANCHOR,
    DEFAULT_SCHEDULE,
    Schedule,
    fire_times,
    parse_schedule,
    trigger_for,
)

__all__ = [
    "ANCHOR",
    "DEFAULT_SCHEDULE",
    "Clock",
    "JobRun",
    "JobSource",
    "Schedule",
    "ScheduledJob",
    "fire_times",
    "parse_schedule",
    "run_id_for",
    "system_clock",
    "trigger_for",
]
