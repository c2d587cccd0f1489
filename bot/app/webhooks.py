"""``POST /alertmanager`` (and ``POST /alertmanager/{cluster}``): Alertmanager's webhook
(v4) turned into alert cards, behind a bearer token; and each cluster's Alertmanager client
(``services.alertmanager``, ``services.slot(name).alertmanager``) for silences.

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

Several clusters (``clusters:``): a notification is about the cluster its group's label
``alerts.cluster_label`` names (common labels, then group labels), when that cluster is
configured; else the one of the path (``/alertmanager/east``: an unknown name is a 404);
else the home cluster. A label naming an unknown cluster is logged
(``alert_cluster_unknown``) and ignored. The card is delivered with
``services.in_cluster(name)``: its chart reads that cluster's Prometheus, and its messenger
names the cluster in the header and in every button, so Silence, Claim, Run RCA and the
war room act on that cluster (the router scopes a click by its button). The card is keyed
by cluster and groupKey, the dedupe claim by cluster and body, and routes see the cluster
as the label ``alerts.cluster_label`` when the alerts do not carry it.

``ALERTMANAGER_URL`` (each cluster's ``alertmanager_url``) and ``ALERTMANAGER_WEBHOOK_TOKEN``
are settings (environment), read once when the capability is built; ``clock`` is
injectable (``bot.app.capabilities.push_capabilities``).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from bot.app.parts import CapabilityParts
from bot.dependencies import dependency_key, http_probe
from bot.jobs import Clock, system_clock
from bot.messenger import FeishuError
from bot.services import Services
from config.settings import DEFAULT_CLUSTER
from skills.alerts.delivery import Delivery, deliver
from skills.alerts.links import link_bases
from skills.alerts.payload import AlertGroup, cluster_digest, labelled_cluster, payload_digest
from skills.alerts.routing import parse_routing
from skills.alerts.silence import AlertmanagerClient

__all__ = ["AlertClusters", "alertmanager_webhook", "alertmanager_router", "MAX_BODY"]

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


@dataclass(frozen=True)
class AlertClusters:
    """Where notifications go: each configured cluster's delivery; ``multi`` when
    ``clusters:`` is set (cards then name their cluster)."""

    home: str = DEFAULT_CLUSTER
    label: str = "cluster"
    deliveries: Mapping[str, Delivery] = field(default_factory=dict)
    multi: bool = False

    def attribute(self, group: AlertGroup, path: str | None) -> str:
        """The cluster of a notification: its label's (configured), the path's, the home."""
        if self.multi:
            named = labelled_cluster(group, self.label)
            if named in self.deliveries:
                return str(named)
            if named is not None:
                log.warning(
                    "alert_cluster_unknown",
                    cluster=named[:64],
                    label=self.label,
                    fallback=path or self.home,
                )
        return path or self.home


def alertmanager_router(
    services: Services, token: str | None, how: Delivery, clusters: AlertClusters | None = None
) -> APIRouter:
    """``how`` delivers a single cluster's notifications; ``clusters`` (several) each
    cluster's."""
    known = clusters or AlertClusters(deliveries={DEFAULT_CLUSTER: how})
    router = APIRouter()

    async def receive(request: Request, path: str | None) -> JSONResponse:
        if not token:
            return _refuse(503, DISABLED)
        if not _authorised(request, token):
            return _refuse(401, "missing or wrong bearer token", **{"WWW-Authenticate": "Bearer"})
        if path is not None and path not in known.deliveries:
            names = ", ".join(known.deliveries)
            return _refuse(404, f"unknown cluster {path[:64]!r} (configured: {names})")
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
        target, scoped = how, services
        cluster = known.attribute(group, path)
        if known.multi:
            target = known.deliveries[cluster]
            scoped = services.in_cluster(cluster)
            digest = cluster_digest(digest, cluster)
        claim = f"alertmanager:{digest}"
        if not await services.store.dedupe.claim(claim, "alert"):
            services.metrics.duplicates.inc()
            return JSONResponse({"status": "duplicate"})
        try:
            outcome = await deliver(scoped, group, digest, target)
        except FeishuError as exc:
            await services.store.dedupe.release(claim)
            log.error("alert_delivery_failed", code=exc.code, status=exc.status, cluster=cluster)
            return _refuse(502, f"Feishu {exc.operation} failed (code {exc.code})")
        except Exception:
            await services.store.dedupe.release(claim)
            raise
        if outcome == "unrouted":
            log.warning("alert_unrouted", group_key=group.groupKey[:200], cluster=cluster)
        return JSONResponse({"status": outcome})

    @router.post("/alertmanager")
    async def receive_home(request: Request) -> JSONResponse:
        return await receive(request, None)

    @router.post("/alertmanager/{cluster}")
    async def receive_for(request: Request, cluster: str) -> JSONResponse:
        return await receive(request, cluster)

    return router


def alertmanager_webhook(services: Services, *, clock: Clock = system_clock) -> CapabilityParts:
    """Each cluster's Alertmanager client (those with an ``alertmanager_url``: the single
    cluster's is ``ALERTMANAGER_URL``) and delivery, and the webhook's routes."""
    settings = services.settings
    routing = parse_routing(settings.alerts)
    for route in routing.routes:
        if route.team and route.team not in settings.oncall.teams:
            log.warning("alert_route_team_unknown", team=route.team, chat_id=route.chat_id)
    multi = settings.multi_cluster
    deliveries: dict[str, Delivery] = {}
    for entry in settings.cluster_entries():
        url = (entry.alertmanager_url or "").strip()
        slot = services.slot(entry.name)
        if url:
            client = AlertmanagerClient(url)
            slot.alertmanager, slot.alertmanager_url = client, url
            if entry.name == services.cluster_name:
                services.alertmanager = client
            key = dependency_key("alertmanager", entry.name, settings)
            services.dependencies[key] = http_probe(f"{url.rstrip('/')}/-/healthy")
        deliveries[entry.name] = Delivery(
            routing,
            entry.timezone or settings.runtime.timezone,  # the cluster's cards' zone
            can_silence=bool(url),
            clock=clock,
            links=link_bases(settings, entry),
            cluster=entry.name if multi else None,
            cluster_label=settings.alerts.cluster_label,
        )
    clusters = AlertClusters(
        settings.home_cluster, settings.alerts.cluster_label, deliveries, multi
    )
    token = settings.secret("alertmanager_webhook_token").strip() or None
    how = deliveries[settings.home_cluster]
    return CapabilityParts(routes=alertmanager_router(services, token, how, clusters))
