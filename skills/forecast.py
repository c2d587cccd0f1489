"""/forecast <service> [horizon]: request-rate forecast, peak and recommended replicas.

The request rate is the ``request_rate`` signal of the Prometheus source over the last
7 days (the step is the source's), or the PromQL configured under
``forecast.services.<service>.query``. Per-pod capacity comes from
``forecast.services.<service>.per_pod_capacity`` or is learned from the ready-pod
history. ``GET|POST /api/v1/predict`` answers the same as JSON.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from analysis.forecast import forecast
from analysis.prometheus import NoData, PrometheusError
from analysis.replicas import recommend_replicas
from bot.access import Requires, Role, Scope
from bot.cards.forecast import ForecastView, forecast_card
from bot.cards.notices import working_card
from bot.context import Context
from bot.registry import DependencyError, Registry, Skill, UsageError
from bot.services import Services
from messages import t
from skills.arguments import NAME, parse_window
from skills.prometheus_failures import not_configured, prometheus_failure
from skills.rca import default_namespace

__all__ = [
    "ForecastRequest",
    "parse",
    "register",
    "run_forecast",
    "plan_forecast",
    "MissingData",
    "DEFAULT_HORIZON",
]

DEFAULT_HORIZON = "6h"
LOOKBACK = timedelta(days=7)


@dataclass(frozen=True)
class ForecastRequest:
    service: str
    horizon: timedelta
    horizon_text: str


def parse(args: Sequence[str]) -> ForecastRequest:
    if not args:
        raise UsageError("usage.missing_argument", name="service")
    if len(args) > 2:
        raise UsageError("usage.too_many_arguments", args=" ".join(args[2:]))
    service = args[0].lower()
    if not NAME.match(service):
        raise UsageError("usage.bad_name", value=args[0])
    text = args[1].lower() if len(args) > 1 else DEFAULT_HORIZON
    horizon = parse_window(text, least=timedelta(minutes=30), most=timedelta(days=2))
    return ForecastRequest(service, horizon, text)


def service_config(settings: Any, service: str) -> dict[str, Any]:
    section = (settings.extra.get("forecast") or {}).get("services") or {}
    return dict(section.get(service) or {})


def namespace_of(settings: Any, service: str) -> str:
    config = service_config(settings, service)
    return str(config.get("namespace") or default_namespace(settings, service))


def scope(req: ForecastRequest, ctx: Context) -> Scope:
    """The service's namespace (forecast.services, prometheus.services, default)."""
    return Scope(namespace=namespace_of(ctx.settings, req.service))


def _series(frame: pd.DataFrame, metric: str) -> pd.Series:
    rows = frame[frame["metric"] == metric]
    return rows.groupby("timestamp")["value"].sum().sort_index()


def plan_forecast(
    qps: pd.Series,
    horizon: timedelta,
    *,
    service: str,
    namespace: str,
    deployment: str,
    ready: pd.Series | None = None,
    capacity: float | None = None,
    current: int | None = None,
    min_replicas: int = 1,
    max_replicas: int = 50,
    headroom: float = 0.2,
) -> ForecastView:
    """Forecast ``qps`` (a time-indexed series) ``horizon`` ahead and size the replicas."""
    qps = qps.dropna().sort_index()
    if len(qps) < 12:
        raise ValueError(f"need at least 12 request-rate samples to forecast, got {len(qps)}")
    step = pd.Series(qps.index).diff().median()
    steps = max(1, math.ceil(horizon / step))
    values = qps.to_numpy(dtype=float)
    stamps = qps.index.as_unit("ns").asi8 / 1e9  # epoch seconds, whatever the index unit
    fc = forecast(values, steps, timestamps=stamps)
    future = pd.DatetimeIndex([qps.index[-1] + step * (i + 1) for i in range(steps)])
    history_replicas = None
    if ready is not None and capacity is None:
        aligned = ready.reindex(qps.index)
        if aligned.notna().sum() >= 3:
            history_replicas = aligned.to_numpy(dtype=float)
    if capacity is None and history_replicas is None and current:
        capacity = float(np.quantile(values[-min(len(values), 288) :], 0.95)) / current
    recommendation = None
    if capacity or history_replicas is not None:
        try:
            recommendation = recommend_replicas(
                fc,
                capacity or None,
                history_qps=values,
                history_replicas=history_replicas,
                min_replicas=min_replicas,
                max_replicas=max_replicas,
                headroom=headroom,
            )
        except ValueError:
            recommendation = None
    peak = int(np.argmax(fc.mean))
    return ForecastView(
        service=service,
        namespace=namespace,
        deployment=deployment,
        history=qps,
        future=future,
        mean=np.asarray(fc.mean),
        lower=np.asarray(fc.lower),
        upper=np.asarray(fc.upper),
        peak_time=future[peak].to_pydatetime(),
        peak_qps=float(fc.mean[peak]),
        recommended=recommendation.replicas if recommendation else None,
        reason=recommendation.reason if recommendation else None,
        confidence=recommendation.confidence if recommendation else _confidence(fc),
        current=current,
    )


def _confidence(fc: Any) -> float:
    scale = max(float(np.mean(np.abs(fc.mean))), 1e-12)
    width = float(np.mean(np.asarray(fc.upper) - np.asarray(fc.lower))) / scale
    return 1.0 / (1.0 + max(width, 0.0))


class MissingData(DependencyError):
    """Prometheus answered, but without enough data to forecast (HTTP 404 on the API)."""


async def _frames(
    services: Services, service: str, namespace: str, end: datetime, query: str | None
) -> tuple[pd.Series, pd.Series | None]:
    source = services.prometheus
    if source is None:
        raise not_configured(services.lang)
    start = end - LOOKBACK
    try:
        if query:
            frame = await asyncio.to_thread(source.query_range_expr, query, start, end)
            return frame.groupby("timestamp")["value"].sum().sort_index(), None
        frame = await asyncio.to_thread(source.fetch, service, namespace, start, end)
    except NoData as exc:
        raise MissingData("Prometheus", prometheus_failure(exc, services.lang).detail) from exc
    except PrometheusError as exc:
        raise prometheus_failure(exc, services.lang) from exc
    ready = _series(frame, "ready")
    return _series(frame, "request_rate"), (ready if not ready.empty else None)


async def current_replicas(services: Services, namespace: str, deployment: str) -> int | None:
    """``spec.replicas`` of the deployment, or None without a cluster (or on failure)."""
    if services.cluster is None:
        return None
    try:
        obj = await services.cluster.access.deployment(namespace, deployment)
    except Exception:
        return None
    replicas = (obj.get("spec") or {}).get("replicas")
    return int(replicas) if replicas is not None else None


async def run_forecast(
    services: Services, service: str, horizon: timedelta, *, end: datetime | None = None
) -> ForecastView:
    """Fetch, forecast and size one service; DependencyError names what failed."""
    config = service_config(services.settings, service)
    namespace = namespace_of(services.settings, service)
    deployment = str(config.get("deployment") or service)
    end = end or datetime.now(UTC)
    qps, ready = await _frames(services, service, namespace, end, config.get("query"))
    if qps.empty:
        detail = t("forecast.failure.no_request_rate", services.lang, service=service)
        raise MissingData("Prometheus", detail)
    current = await current_replicas(services, namespace, deployment)
    capacity = config.get("per_pod_capacity")
    try:
        return await asyncio.to_thread(
            plan_forecast,
            qps,
            horizon,
            service=service,
            namespace=namespace,
            deployment=deployment,
            ready=ready,
            capacity=float(capacity) if capacity else None,
            current=current,
            min_replicas=int(config.get("min_replicas", 1)),
            max_replicas=int(config.get("max_replicas", 50)),
            headroom=float(config.get("headroom", 0.2)),
        )
    except ValueError as exc:
        detail = t("forecast.failure.too_little_data", services.lang, service=service)
        raise MissingData("Prometheus", detail) from exc


async def handle(req: ForecastRequest, ctx: Context) -> None:
    title = ctx.t("forecast.title", service=req.service)
    working_id = await ctx.working(working_card(ctx.lang, title, ctx.t("forecast.working")))
    view = await run_forecast(ctx.services, req.service, req.horizon)
    ctx.services.outages.recovered("Prometheus")
    timezone = ctx.settings.runtime.timezone
    await ctx.patch(working_id, forecast_card(view, ctx.lang, req.horizon_text, timezone))


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="forecast",
            usage_key="forecast.usage",
            summary_key="forecast.summary",
            parse=parse,
            handle=handle,
            aliases=("预测",),
            access=Requires(Role.viewer, scope=scope),
        )
    )
