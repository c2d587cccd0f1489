"""``POST /alertmanager``: Alertmanager's webhook turned into alert cards, and
``services.alertmanager`` for silences.

Secrets come from the environment (``ALERTMANAGER_URL``, ``ALERTMANAGER_WEBHOOK_TOKEN``),
read once when the capability is built; ``environ`` and ``clock`` are injectable
(``bot.app.capabilities.push_capabilities``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import structlog

from bot.app.parts import CapabilityParts
from bot.dependencies import http_probe
from bot.jobs import Clock, system_clock
from bot.services import Services
from skills.alerts.delivery import Delivery
from skills.alerts.routing import parse_routing
from skills.alerts.silence import AlertmanagerClient
from skills.alerts.webhook import alertmanager_router

__all__ = ["alertmanager_webhook"]

log = structlog.get_logger(__name__)


def alertmanager_webhook(
    services: Services,
    *,
    environ: Mapping[str, str] | None = None,
    clock: Clock = system_clock,
) -> CapabilityParts:
    env = os.environ if environ is None else environ
    settings = services.settings
    routing = parse_routing(settings.extra.get("alerts"))
    for route in routing.routes:
        if route.team and route.team not in settings.oncall.teams:
            log.warning("alert_route_team_unknown", team=route.team, chat_id=route.chat_id)
    url = env.get("ALERTMANAGER_URL", "").strip()
    if url:
        services.alertmanager = AlertmanagerClient(url)
        services.dependencies["alertmanager"] = http_probe(f"{url.rstrip('/')}/-/healthy")
    delivery = Delivery(routing, settings.runtime.timezone, can_silence=bool(url), clock=clock)
    token = env.get("ALERTMANAGER_WEBHOOK_TOKEN", "").strip() or None
    return CapabilityParts(routes=alertmanager_router(services, token, delivery))
