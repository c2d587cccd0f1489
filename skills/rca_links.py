"""The links of an /rca card (and an anomaly-scan card): the service's Grafana dashboard
over the analysed window, and Prometheus' graph of the top candidate's query over it (on
PROMETHEUS_URL)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from analysis.evidence import RcaResult
from analysis.prometheus.catalogue import Catalogue
from analysis.prometheus.queries import series_query
from bot.cards.links import grafana_url, prometheus_graph_url
from config.settings import Settings

__all__ = ["source_query", "top_query", "window_links", "rca_links"]


def source_query(
    source: Any,
    service: str,
    namespace: str,
    entity: str,
    metric: str,
    start: datetime,
    end: datetime,
) -> str | None:
    """The PromQL the source ran for ``metric`` of ``entity``; ``None`` for a source
    without a signal catalogue (CSV, the sandbox's demo metrics) or an unknown signal."""
    catalogue = getattr(source, "catalogue", None)
    if not isinstance(catalogue, Catalogue) or not hasattr(source, "step_for"):
        return None
    services = getattr(source, "services", None) or {}
    step = source.step_for(start, end)
    return series_query(catalogue, services, service, namespace, entity, metric, step)


def top_query(
    source: Any, service: str, namespace: str, result: RcaResult, start: datetime, end: datetime
) -> str | None:
    """The top candidate's PromQL as the source ran it (``None`` without a candidate)."""
    top = result.top
    if top is None:
        return None
    entity, metric = top.key
    return source_query(source, service, namespace, entity, metric, start, end)


def window_links(
    settings: Settings,
    source: Any,
    service: str,
    namespace: str,
    expr: str | None,
    start: datetime,
    end: datetime,
    grafana_base: str | None = None,
) -> dict[str, str]:
    """Kind → http(s) URL: the service's Grafana dashboard (below ``grafana_base``, the
    cluster's Grafana, else ``GRAFANA_URL``) and Prometheus' graph of ``expr`` over
    ``start``..``end``, for the links that can be built."""
    found: dict[str, str | None] = {}
    dashboard = settings.grafana.dashboard_for(service)
    variables = {"namespace": namespace, "service": service}
    base = grafana_base or settings.grafana_base_url
    found["grafana"] = grafana_url(base, dashboard, start, end, variables)
    if expr:
        base = getattr(source, "url", None) or settings.prometheus_base_url
        found["prometheus"] = prometheus_graph_url(base, expr, start, end)
    return {kind: url for kind, url in found.items() if url}


def rca_links(
    settings: Settings,
    source: Any,
    service: str,
    namespace: str,
    result: RcaResult,
    start: datetime,
    end: datetime,
    grafana_base: str | None = None,
) -> dict[str, str]:
    """The card's links: Grafana, and Prometheus' graph of the top candidate's query."""
    expr = top_query(source, service, namespace, result, start, end)
    return window_links(settings, source, service, namespace, expr, start, end, grafana_base)
