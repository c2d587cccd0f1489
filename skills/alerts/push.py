"""``push_capability``: the scheduler (digests, scans, housekeeping), ``POST /alertmanager``
and ``/api/v1/predict``, plugged into the bot runtime.

Escalation of unclaimed alerts (``skills.alerts.escalation``) runs on the leader every
``oncall.tick_seconds`` when a team has escalation steps.

Housekeeping runs on the scheduler's leader every ``scheduler.housekeeping_seconds``
(300): it deletes expired key-values, swaps/overrides and escalations finished 30 days
ago and incident timeline events older than 90 days, and marks applies that never
finished interrupted.

Secrets come from the environment (``ALERTMANAGER_URL``, ``ALERTMANAGER_WEBHOOK_TOKEN``),
read once when the capability is built; ``environ`` and ``clock`` are injectable::

    capabilities = [..., push_capability]                      # production
    functools.partial(push_capability, environ={...}, clock=frozen)   # tests
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import structlog

from bot.app import CapabilityParts
from bot.dependencies import http_probe
from bot.scheduler import Clock, JobScheduler, ScheduledJob, housekeeping_job, system_clock
from bot.services import Services
from skills.alerts.delivery import Delivery
from skills.alerts.escalation import escalation_job
from skills.alerts.links import link_bases
from skills.alerts.routing import parse_routing
from skills.alerts.scans import parse_scans, scan_job
from skills.alerts.silence import AlertmanagerClient
from skills.alerts.webhook import alertmanager_router
from skills.forecast import predict_api
from skills.interrupted_applies import interrupt_after, interrupt_stale_applies
from skills.subscribe import digest_jobs

__all__ = ["push_capability"]

log = structlog.get_logger(__name__)

# Ended swaps/overrides and finished escalations are kept this long, then purged.
HISTORY = timedelta(days=30)
TIMELINES = timedelta(days=90)  # incident timelines are kept longer


def _seconds(section: Mapping[str, Any], name: str, default: float) -> timedelta:
    return timedelta(seconds=float(section.get(name, default)))


def push_capability(
    services: Services,
    *,
    environ: Mapping[str, str] | None = None,
    clock: Clock = system_clock,
) -> CapabilityParts:
    env = os.environ if environ is None else environ
    settings = services.settings
    timezone = settings.runtime.timezone
    routing = parse_routing(settings.extra.get("alerts"))
    for route in routing.routes:
        if route.team and route.team not in settings.oncall.teams:
            log.warning("alert_route_team_unknown", team=route.team, chat_id=route.chat_id)
    url = env.get("ALERTMANAGER_URL", "").strip()
    if url:
        services.extras["alertmanager"] = AlertmanagerClient(url)
        probe = http_probe(f"{url.rstrip('/')}/-/healthy")
        services.extras.setdefault("dependencies", {})["alertmanager"] = probe
    delivery = Delivery(
        routing, timezone, can_silence=bool(url), clock=clock, links=link_bases(settings, env)
    )
    scans = parse_scans(settings.extra.get("scans"))
    digests = digest_jobs(services)
    tuning = settings.extra.get("scheduler") or {}
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
        every=_seconds(tuning, "housekeeping_seconds", 300),
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
        lease_ttl=_seconds(tuning, "lease_seconds", 30),
        grace=_seconds(tuning, "grace_seconds", 1800),
        tick_every=_seconds(tuning, "tick_seconds", 30),
        clock=clock,
    )
    services.extras["scheduler"] = scheduler
    token = env.get("ALERTMANAGER_WEBHOOK_TOKEN", "").strip() or None
    return CapabilityParts(
        api=predict_api(services),
        routes=alertmanager_router(services, token, delivery),
        start=scheduler.start,
        stop=scheduler.stop,
    )
