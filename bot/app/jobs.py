"""The scheduled jobs, run by the leader-locked scheduler: digests (``skills.digests``),
anomaly scans (``skills.alerts.scans``), escalation of unclaimed alerts
(``skills.alerts.escalation``) and housekeeping.

Escalation runs on the leader every ``oncall.tick_seconds`` when a team has escalation
steps.

Housekeeping runs on the scheduler's leader every ``scheduler.housekeeping_seconds``
(300): it deletes expired key-values, swaps/overrides and escalations finished 30 days
ago and incident timeline events older than 90 days, and marks applies that never
finished interrupted (``skills.interrupted_applies``).
"""

from __future__ import annotations

import functools
from datetime import timedelta

from bot.app.parts import CapabilityParts
from bot.jobs import Clock, ScheduledJob, system_clock
from bot.scheduler import JobScheduler, housekeeping_job
from bot.services import Services
from skills.alerts.escalation import escalation_job
from skills.alerts.routing import parse_routing
from skills.alerts.scans import parse_scans, scan_job
from skills.digests import digest_jobs
from skills.interrupted_applies import interrupt_after, interrupt_stale_applies

__all__ = ["scheduled_jobs"]

# Ended swaps/overrides and finished escalations are kept this long, then purged.
HISTORY = timedelta(days=30)
TIMELINES = timedelta(days=90)  # incident timelines are kept longer


def _housekeeping(services: Services, every: timedelta, clock: Clock) -> ScheduledJob:
    store = services.store
    return housekeeping_job(
        {
            "expired_kv": store.kv.purge,
            "interrupted_applies": functools.partial(
                interrupt_stale_applies, services, interrupt_after(services.settings)
            ),
            "ended_oncall_changes": lambda: store.oncall.purge(clock() - HISTORY),
            "finished_escalations": lambda: store.escalations.purge(clock() - HISTORY),
            "old_timelines": lambda: store.timeline.purge(clock() - TIMELINES),
        },
        every=every,
    )


def scheduled_jobs(services: Services, *, clock: Clock = system_clock) -> CapabilityParts:
    settings = services.settings
    timezone = settings.runtime.timezone
    routing = parse_routing(settings.alerts)
    scans = parse_scans(settings.scans)
    digests = digest_jobs(services)
    tuning = settings.scheduler
    housekeeping = _housekeeping(services, timedelta(seconds=tuning.housekeeping_seconds), clock)

    async def jobs() -> list[ScheduledJob]:
        found = [*await digests(), housekeeping]
        if scans is not None:
            found.append(scan_job(services, scans, routing, timezone, clock))
        if any(team.escalation for team in settings.oncall.teams.values()):
            found.append(escalation_job(services, clock, timezone))
        return found

    scheduler = JobScheduler(
        services.store,
        jobs,
        timezone=timezone,
        lease_ttl=timedelta(seconds=tuning.lease_seconds),
        grace=timedelta(seconds=tuning.grace_seconds),
        tick_every=timedelta(seconds=tuning.tick_seconds),
        clock=clock,
    )
    return CapabilityParts(start=scheduler.start, stop=scheduler.stop)
