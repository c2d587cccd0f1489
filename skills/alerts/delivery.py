"""One card per alert group: sent when it first fires, patched when it changes.

The message id is remembered by groupKey; a resolved notification patches the firing
card, and a group that fires again after it resolved gets a new card. Sends carry a
uuid derived from the notification, so a retried webhook cannot post twice.

With several clusters each has its own :class:`Delivery` (``cluster`` set): the group's
card is keyed by cluster and groupKey, its record names the cluster, and routes see the
cluster as the label ``alerts.cluster_label`` when the alerts do not carry it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.cards.alert import AlertView, alert_card
from bot.jobs import Clock, system_clock
from bot.messenger import uuid_for
from bot.services import Services
from skills.alerts.escalation import begin, stop
from skills.alerts.expression import chart_points
from skills.alerts.links import LinkBases, alert_links
from skills.alerts.payload import AlertGroup, expression_of, group_id
from skills.alerts.response_times import observe_resolution
from skills.alerts.routing import Routing
from skills.alerts.state import AlertRecord, load_record, remember_alerts, save_record
from skills.oncall.teams import who_is_on_call

__all__ = ["Delivery", "view_of", "deliver", "route_labels", "SERVICE_LABELS"]

SERVICE_LABELS = ("service", "app", "app_kubernetes_io_name", "deployment", "job")
MAX_REMEMBERED = 50  # alerts of a group /alerts can tie to the card (claimed by ...)
Outcome = Literal["sent", "patched", "unrouted"]


@dataclass(frozen=True)
class Delivery:
    routing: Routing
    timezone: str
    can_silence: bool
    clock: Clock = system_clock
    links: LinkBases | None = None  # None: cards without Grafana/Prometheus/silence links
    cluster: str | None = None  # several clusters: the one these notifications are about
    cluster_label: str = "cluster"  # the label routes match the cluster on


def route_labels(group: AlertGroup, how: Delivery) -> Mapping[str, str]:
    """What routes match: the group's labels, and its cluster as ``cluster_label`` when
    they do not name one. Only for routing: silences match the alerts' own labels."""
    labels = group.labels
    if how.cluster is None or labels.get(how.cluster_label):
        return labels
    return {**labels, how.cluster_label: how.cluster}


def view_of(group: AlertGroup, *, can_silence: bool, cluster: str | None = None) -> AlertView:
    """The card data of a notification (without a chart); ``cluster`` (several clusters)
    keys the card by cluster and groupKey."""
    shared = group.labels
    service = next((shared[k] for k in SERVICE_LABELS if shared.get(k)), None)
    expr = next((e for a in group.alerts if (e := expression_of(a.generatorURL))), None)
    rows = [
        {
            "status": a.status,
            "detail": ", ".join(f"{k}={v}" for k, v in sorted(a.labels.items()) if k not in shared),
            "starts": a.startsAt.isoformat(),
        }
        for a in group.alerts
    ]
    return AlertView(
        key=group_id(group.groupKey, cluster),
        status=group.status,
        alertname=shared.get("alertname", "alert"),
        severity=shared.get("severity", ""),
        labels=shared,
        annotations=dict(group.commonAnnotations),
        alerts=rows,
        service=service,
        namespace=shared.get("namespace"),
        expr=expr,
        can_silence=can_silence,
        truncated=group.truncatedAlerts,
    )


def _window(group: AlertGroup, now: datetime) -> tuple[datetime, datetime]:
    start = min(a.startsAt for a in group.alerts) - timedelta(minutes=30)
    end = now
    if group.status == "resolved":
        ends = [a.endsAt for a in group.alerts if a.endsAt and a.endsAt.year > 1]
        end = min(now, max(ends) + timedelta(minutes=10)) if ends else now
    start = max(start, end - timedelta(hours=6))
    return min(start, end - timedelta(minutes=15)), end


async def deliver(
    services: Services, group: AlertGroup, digest: str, how: Delivery, now: datetime | None = None
) -> Outcome:
    now = now or how.clock()
    view = view_of(group, can_silence=how.can_silence, cluster=how.cluster)
    if view.expr:
        start, end = _window(group, now)
        view.chart, view.threshold = await chart_points(services.prometheus, view.expr, start, end)
    if how.links is not None:
        view.links = alert_links(how.links, group, view, *_window(group, now))
    fingerprints = [a.fingerprint for a in group.alerts[:MAX_REMEMBERED]]
    await remember_alerts(services.store, fingerprints, view.key)
    previous = await load_record(services.store, view.key)
    lang = services.lang
    if previous is not None and not (
        previous.view.status == "resolved" and view.status == "firing"
    ):
        view.acked_by = previous.view.acked_by
        view.silenced_by = previous.view.silenced_by
        view.silenced_until = previous.view.silenced_until
        view.team, view.oncall = previous.view.team, previous.view.oncall
        view.escalation = previous.view.escalation
        if view.status == "resolved":
            await stop(services.store, view.key, "resolved", now)
            if previous.view.status == "firing":
                await services.store.timeline.add(view.key, "resolved", "alertmanager", now)
                await observe_resolution(services, view, now)
        if not view.chart:
            view.chart, view.threshold = previous.view.chart, previous.view.threshold
        await services.messenger.patch(
            previous.message_id, alert_card(view, lang, how.timezone), chat_id=previous.chat_id
        )
        again = AlertRecord(previous.chat_id, previous.message_id, view, how.cluster)
        await save_record(services.store, again)
        return "patched"
    route = how.routing.route_for(route_labels(group, how))
    chat_id = route.chat_id if route else how.routing.default_chat_id
    if chat_id is None:
        return "unrouted"
    if route is not None and route.team and view.status == "firing":
        found = await who_is_on_call(services, route.team, now)
        view.team, view.oncall = route.team, found.current if found else None
    message_id = await services.messenger.send(
        chat_id, alert_card(view, lang, how.timezone), uuid=uuid_for("alert", digest)
    )
    await save_record(services.store, AlertRecord(chat_id, message_id, view, how.cluster))
    if view.status == "firing":
        await services.store.timeline.add(view.key, "fired", "alertmanager", now, view.alertname)
    await begin(services, view, chat_id, message_id, now)
    return "sent"
