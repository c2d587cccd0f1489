"""``push_capability``: the scheduler (digests, scans, housekeeping), ``POST /alertmanager``
and ``/api/v1/predict``, plugged into the bot runtime.

Escalation of unclaimed alerts (``skills.alerts.escalation``) runs on the leader every
``oncall.tick_seconds`` when a team has escalation steps.

Housekeeping runs on the scheduler's leader every ``scheduler.housekeeping_seconds``
(300): it deletes expired key-values, swaps/overrides and escalations finished 30 days
ago and incident timeline events older than 90 days, and marks applies that never
finished interrupted.

``ALERTMANAGER_URL`` and ``ALERTMANAGER_WEBHOOK_TOKEN`` are settings (environment), read
once when the capability is built; ``clock`` is injectable::

    capabilities = [..., push_capability]                      # production
    functools.partial(push_capability, clock=frozen)           # tests
"""

from __future__ import annotations

import functools
from datetime import timedelta

import structlog

from bot.app import CapabilityParts
from bot.dependencies import http_probe
from bot.scheduler import Clock, JobScheduler, ScheduledJob, housekeeping_job, system_clock
from bot.services import Services
from config.availability import availability
from skills.alerts.delivery import Delivery
from skills.alerts.escalation import escalation_job
from skills.alerts.routing import parse_routing
from skills.alerts.scans import parse_scans, scan_job
from skills.alerts.silence import AlertmanagerClient
from skills.alerts.webhook import alertmanager_router
from skills.digests import digest_jobs
from skills.interrupted_applies import interrupt_after, interrupt_stale_applies
from skills.predict_api import predict_api

__all__ = ["push_capability"]

log = structlog.get_logger(__name__)

# Ended swaps/overrides and finished escalations are kept this long, then purged.
HISTORY = timedelta(days=30)
TIMELINES = timedelta(days=90)  # incident timelines are kept longer


def push_capability(services: Services, *, clock: Clock = system_clock) -> CapabilityParts:
    settings = services.settings
    timezone = settings.runtime.timezone
    routing = parse_routing(settings.alerts)
    for route in routing.routes:
        if route.team and route.team not in settings.oncall.teams:
            log.warning("alert_route_team_unknown", team=route.team, chat_id=route.chat_id)
    url = (settings.alertmanager_url or "").strip()
    can_silence = availability(settings).alertmanager_api
    if can_silence:
        services.extras["alertmanager"] = AlertmanagerClient(url)
        probe = http_probe(f"{url.rstrip('/')}/-/healthy")
        services.extras.setdefault("dependencies", {})["alertmanager"] = probe
    delivery = Delivery(routing, timezone, can_silence=can_silence, clock=clock)
    scans = parse_scans(settings.scans)
    digests = digest_jobs(services)
    tuning = settings.scheduler
    housekeeping = housekeeping_job(
        {
            "expired_kv": services.store.kv.purge,
            "interrupted_applies": functools.partial(
                interrupt_stale_applies, services, interrupt_after(settings)
            ),
            "ended_oncall_changes": lambda: services.store.oncall.purge(clock() - HISTORY),
            "finished_escalations": lambda: services.store.escalations.purge(clock() - HISTORY),
            "old_timelines": lambda: services.store.timeline.purge(clock() - TIMELINES),
        },
        every=timedelta(seconds=tuning.housekeeping_seconds),
    )

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
    services.extras["scheduler"] = scheduler
    token = settings.secret("alertmanager_webhook_token").strip() or None
    return CapabilityParts(
        api=predict_api(services),
        routes=alertmanager_router(services, token, delivery),
        start=scheduler.start,
        stop=scheduler.stop,
    )
