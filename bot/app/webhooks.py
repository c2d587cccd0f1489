"""``POST /alertmanager``: Alertmanager's webhook (v4) turned into alert cards, behind a
bearer token; and ``services.alertmanager`` for silences.

No token configured → 503 (the endpoint is disabled); a missing or wrong token → 401;
a body that is not JSON → 400; not a v4 notification → 422. The card is sent before
answering, so a Feishu failure gives a 502 and Alertmanager retries; an identical
re-post is answered ``duplicate`` without touching the chat.

An identical re-post is Alertmanager retrying a notification it thinks failed (within its
group_interval, minutes) or repeating an unchanged group (repeat_interval, 4 h by
default). Each notification is claimed in the dedupe store (``store.dedupe``, kept for
``feishu.dedupe_hours``, a day by default) before it is delivered, so of identical posts,
even concurrent ones, one delivers; a failed delivery gives its claim back for the retry.
A repeat after the window finds the group's card and patches it in place (its record is
kept far longer, skills.alerts.state), so no second card.

``ALERTMANAGER_URL`` and ``ALERTMANAGER_WEBHOOK_TOKEN`` are settings (environment), read
once when the capability is built; ``clock`` is injectable
(``bot.app.capabilities.push_capabilities``).
"""

from __future__ import annotations

import hmac
import json
from typing import Any

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from bot.app.parts import CapabilityParts
from bot.dependencies import http_probe
from bot.jobs import Clock, system_clock
from bot.messenger import FeishuError
from bot.services import Services
from config.availability import availability
from skills.alerts.delivery import Delivery, deliver
from skills.alerts.links import link_bases
from skills.alerts.payload import AlertGroup, payload_digest
from skills.alerts.routing import parse_routing
from skills.alerts.silence import AlertmanagerClient

__all__ = ["alertmanager_webhook", "alertmanager_router", "MAX_BODY"]

log = structlog.get_logger(__name__)
MAX_BODY = 2 * 1024 * 1024
DISABLED = "ALERTMANAGER_WEBHOOK_TOKEN is not set: the Alertmanager webhook is disabled"


def _refuse(status: int, detail: Any, **headers: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers or None)


def _authorised(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def alertmanager_router(services: Services, token: str | None, how: Delivery) -> APIRouter:
    router = APIRouter()

    @router.post("/alertmanager")
    async def receive(request: Request) -> JSONResponse:
        if not token:
            return _refuse(503, DISABLED)
        if not _authorised(request, token):
            return _refuse(401, "missing or wrong bearer token", **{"WWW-Authenticate": "Bearer"})
        body = await request.body()
        if len(body) > MAX_BODY:
            return _refuse(413, f"body larger than {MAX_BODY} bytes")
        try:
            raw = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _refuse(400, "body is not JSON")
        if not isinstance(raw, dict):
            return _refuse(400, "body is not a JSON object")
        try:
            group = AlertGroup.model_validate(raw)
        except ValidationError as exc:
            problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5]]
            return _refuse(422, problems)
        digest = payload_digest(raw)
        claim = f"alertmanager:{digest}"
        if not await services.store.dedupe.claim(claim, "alert"):
            services.metrics.duplicates.inc()
            return JSONResponse({"status": "duplicate"})
        try:
            outcome = await deliver(services, group, digest, how)
        except FeishuError as exc:
            await services.store.dedupe.release(claim)
            log.error("alert_delivery_failed", code=exc.code, status=exc.status)
            return _refuse(502, f"Feishu {exc.operation} failed (code {exc.code})")
        except Exception:
            await services.store.dedupe.release(claim)
            raise
        if outcome == "unrouted":
            log.warning("alert_unrouted", group_key=group.groupKey[:200])
        return JSONResponse({"status": outcome})

    return router


def alertmanager_webhook(services: Services, *, clock: Clock = system_clock) -> CapabilityParts:
    settings = services.settings
    routing = parse_routing(settings.alerts)
    for route in routing.routes:
        if route.team and route.team not in settings.oncall.teams:
            log.warning("alert_route_team_unknown", team=route.team, chat_id=route.chat_id)
    url = (settings.alertmanager_url or "").strip()
    can_silence = availability(settings).alertmanager_api
    if can_silence:
        services.alertmanager = AlertmanagerClient(url)
        services.dependencies["alertmanager"] = http_probe(f"{url.rstrip('/')}/-/healthy")
    delivery = Delivery(
        routing,
        settings.runtime.timezone,
        can_silence=can_silence,
        clock=clock,
        links=link_bases(settings),
    )
    token = settings.secret("alertmanager_webhook_token").strip() or None
    return CapabilityParts(routes=alertmanager_router(services, token, delivery))
