"""The links of an alert card: its window in Grafana and Prometheus, and Alertmanager's
new-silence page for its labels. Bases come from the settings once, when the webhook
capability is built (``bot.app.webhooks``): per cluster, that cluster's Grafana and
Alertmanager."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.cards.alert import AlertView
from bot.cards.links import grafana_url, prometheus_window_url, silence_url
from config.settings import ClusterEntry, GrafanaSettings, Settings
from skills.alerts.payload import AlertGroup

__all__ = ["LinkBases", "link_bases", "alert_links"]


@dataclass(frozen=True)
class LinkBases:
    grafana: str | None = None  # GRAFANA_URL
    dashboards: GrafanaSettings = field(default_factory=GrafanaSettings.default)
    alertmanager: str | None = None  # ALERTMANAGER_URL (else the payload's externalURL)


def link_bases(settings: Settings, entry: ClusterEntry | None = None) -> LinkBases:
    """The bases from the typed ``grafana`` settings and ``ALERTMANAGER_URL``; for a
    cluster ``entry``, its ``grafana_url`` (else ``GRAFANA_URL``) and ``alertmanager_url``."""
    if entry is not None:
        return LinkBases(
            grafana=entry.grafana_url or settings.grafana_base_url,
            dashboards=settings.grafana,
            alertmanager=(entry.alertmanager_url or "").strip() or None,
        )
    return LinkBases(
        grafana=settings.grafana_base_url,
        dashboards=settings.grafana,
        alertmanager=(settings.alertmanager_url or "").strip() or None,
    )


def alert_links(
    bases: LinkBases, group: AlertGroup, view: AlertView, start: datetime, end: datetime
) -> dict[str, str]:
    """Kind → URL for every link that can be built (http(s) only); the silence page only
    while the group fires."""
    found: dict[str, str | None] = {}
    variables = {"namespace": view.namespace or "", "service": view.service or ""}
    found["grafana"] = grafana_url(
        bases.grafana, bases.dashboards.dashboard_for(view.service), start, end, variables
    )
    generator = next((a.generatorURL for a in group.alerts if a.generatorURL), None)
    found["prometheus"] = prometheus_window_url(generator, start, end)
    if view.status == "firing":
        found["silence"] = silence_url(bases.alertmanager or group.externalURL, view.labels)
    return {kind: url for kind, url in found.items() if url}
