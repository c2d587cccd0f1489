"""Prometheus: reachable with the configured auth; per configured service, which catalogue
signals return data (and the metric names of those that do not), whether the pod matcher
finds pods, a ready ``prometheus.signals`` block for metrics it recognises, and how much
request-rate history ``/forecast`` has."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from analysis.prometheus import (
    NoData,
    PrometheusAuthError,
    PrometheusSource,
    PrometheusUnreachable,
    ServiceTarget,
    load_catalogue,
)
from analysis.prometheus.catalogue import Catalogue
from analysis.prometheus.discovery import metric_names, signals_yaml, suggest_signals
from analysis.prometheus.step import parse_duration
from bot.doctor.bounded import bounded
from bot.doctor.inputs import DoctorInput
from bot.doctor.redaction import shown_url
from bot.doctor.result import Check
from bot.prometheus_login import prometheus_login
from config.settings import Settings

__all__ = [
    "SignalReport",
    "catalogue_of",
    "ping_check",
    "prometheus_checks",
    "signal_report",
]

FORECAST_LOOKBACK = timedelta(days=7)
FORECAST_MIN_HOURS = 48  # two daily cycles: the least that shows a daily pattern


def catalogue_of(settings: Settings) -> Catalogue:
    return load_catalogue().extended(settings.prometheus.signals or ())


def _source(settings: Settings, timeout: float, **options: Any) -> PrometheusSource:
    services = {
        name: {k: v for k, v in (config or {}).items() if k != "depends_on"}
        for name, config in settings.prometheus.services.items()
    }  # each service alone: a dependency's metrics must not hide the service's own
    login = prometheus_login(settings.home_entry(), settings)  # the home cluster's
    return PrometheusSource(
        login.url,
        token=login.token,
        username=login.username,
        password=login.password,
        timeout=timeout,
        catalogue=options.pop("catalogue", None) or catalogue_of(settings),
        services=services,
        **options,
    )


class SignalReport:
    """Which signals of the catalogue one service has data for, in the lookback."""

    def __init__(self, catalogue: Catalogue, present: set[str]) -> None:
        self.catalogue = catalogue
        self.present = [s.name for s in catalogue.signals if s.name in present]
        self.missing = [s.name for s in catalogue.signals if s.name not in present]

    def missing_metrics(self) -> dict[str, list[str]]:
        queries = {s.name: s.query for s in self.catalogue.signals}
        return {name: metric_names(queries[name]) for name in self.missing}


def signal_report(
    source: PrometheusSource, service: str, namespace: str, start: datetime, end: datetime
) -> SignalReport:
    """Blocking: fetch the service's catalogue over [start, end] and see what came back."""
    try:
        frame = source.fetch(service, namespace, start, end)
    except NoData:
        return SignalReport(source.catalogue, set())
    return SignalReport(source.catalogue, set(frame["metric"].unique()))


def _namespace(settings: Settings, service: str) -> str:
    config: Mapping[str, Any] = settings.prometheus.services.get(service) or {}
    return str(config.get("namespace") or "default")


def _signals_check(
    service: str, report: SignalReport, names: list[str], catalogue: Catalogue
) -> Check:
    name = f"prometheus.signals.{service}"
    used = ", ".join(report.present) or "none"
    scopes = {s.name: s.scope for s in catalogue.signals}
    wanting = {k: v for k, v in report.missing_metrics().items() if scopes[k] != "edge"}
    mesh = [k for k in report.missing if scopes[k] == "edge"]
    note = f" (no mesh call metrics: {', '.join(mesh)}; fine without a mesh)" if mesh else ""
    if not wanting:
        return Check.ok(name, f"/rca uses {used}{note}")
    missing = "; ".join(f"{signal} ({', '.join(metrics)})" for signal, metrics in wanting.items())
    suggested = suggest_signals(catalogue, set(report.missing), set(names))
    if suggested:
        sources = sorted({alt.source for _, alt in suggested})
        fix = (
            f"found {', '.join(sources)} metrics on the pods; add this to the CLOUDOPS_CONFIG "
            "file:\n" + signals_yaml(signal for signal, _ in suggested)
        )
    else:
        fix = (
            "export the missing metrics, or map your own metric names with a "
            "prometheus.signals entry (same name replaces a catalogue signal; see "
            "analysis/signals.yaml for the placeholders)"
        )
    detail = f"/rca uses {used}; no data for {missing}{note}"
    if not report.present:
        return Check.fail(name, f"/rca would find no data: {missing}", fix)
    return Check.warn(name, detail, fix)


def _pods_check(service: str, namespace: str, target: ServiceTarget, pods: list[str]) -> Check:
    name = f"prometheus.pods.{service}"
    matcher = target.pods_matcher(service, target.namespace or namespace)
    if pods:
        shown = ", ".join(pods[:5]) + (" …" if len(pods) > 5 else "")
        return Check.ok(name, f"{len(pods)} pod(s) match {{{matcher}}}: {shown}")
    return Check.fail(
        name,
        f"no series with {{{matcher}}} in the lookback",
        f"set prometheus.services.{service}.namespace and .pod_regex to where its pods run "
        f"(compare with: kubectl get pods -A | grep {service})",
    )


def _forecast_check(
    source: PrometheusSource, service: str, namespace: str, end: datetime, wanted: bool
) -> Check:
    """Hours of request-rate history in the last 7 days; short history warns only for a
    service configured under ``forecast.services`` (the others may never be forecast)."""
    name = f"prometheus.forecast.{service}"
    try:
        frame = source.fetch(service, namespace, end - FORECAST_LOOKBACK, end)
        hours = int(frame["timestamp"].dt.floor("h").nunique())
    except NoData:
        hours = 0
    if hours >= FORECAST_MIN_HOURS:
        return Check.ok(name, f"{hours} hours of request_rate history (/forecast reads 7 days)")
    detail = (
        f"{hours} hours of request_rate history: /forecast needs at least "
        f"{FORECAST_MIN_HOURS} hours (2 days) to see a daily pattern, 7 days for its best"
    )
    if not wanted:
        return Check.ok(name, detail)
    return Check.warn(
        name,
        detail,
        f"wait until Prometheus holds {FORECAST_MIN_HOURS} hours of it (keep retention at 7 "
        "days or more); until then /forecast answers from what there is, or not at all",
    )


def _service_checks(
    settings: Settings,
    source: PrometheusSource,
    service: str,
    window: tuple[datetime, datetime],
    timeout: float,
) -> list[Check]:
    start, end = window
    namespace = _namespace(settings, service)
    pods, names = source.inventory(service, namespace, start, end)
    report = signal_report(source, service, namespace, start, end)
    target = source.services.get(service, ServiceTarget())
    checks = [
        _pods_check(service, namespace, target, pods),
        _signals_check(service, report, names, source.catalogue),
    ]
    if "request_rate" in report.present:
        hourly = _source(
            settings,
            timeout,
            catalogue=source.catalogue.only("request_rate"),
            min_step=timedelta(hours=1),
        )
        try:
            wanted = service in settings.forecast.services
            checks.append(_forecast_check(hourly, service, namespace, end, wanted))
        finally:
            hourly.close()
    return checks


AUTH_FIX = "set PROMETHEUS_TOKEN, or PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD"
URL_FIX = "set PROMETHEUS_URL to the Prometheus base URL (curl $PROMETHEUS_URL/-/ready)"


async def ping_check(
    source: PrometheusSource,
    url: str,
    *,
    name: str = "prometheus.reachable",
    auth_fix: str = AUTH_FIX,
    url_fix: str = URL_FIX,
) -> Check:
    """Whether ``source`` answers a query (``vector(1)``); ``url`` is the address shown,
    without credentials (``shown_url``)."""
    try:
        await asyncio.to_thread(source.ping)
    except PrometheusAuthError as exc:
        return Check.fail(name, f"{url} refused the credentials: {exc.reason}", auth_fix)
    except PrometheusUnreachable as exc:
        return Check.fail(name, f"{url} is unreachable: {exc.reason}", url_fix)
    return Check.ok(name, f"answers at {url}")


async def prometheus_checks(inputs: DoctorInput) -> list[Check]:
    settings = inputs.settings
    source = _source(settings, inputs.timeout)
    url = shown_url(source.url)
    try:
        reachable = await ping_check(source, url)
        if reachable.status != "ok":
            return [reachable]
        checks = [reachable]
        services = list(settings.prometheus.services)
        if not services:
            checks.append(
                Check.warn(
                    "prometheus.services",
                    "no services configured: /rca guesses pods <service>-.* in namespace default",
                    "add each service under prometheus.services in the CLOUDOPS_CONFIG file:\n"
                    "prometheus:\n  services:\n    payments:\n      namespace: payments\n"
                    '      pod_regex: "payments-.*"\n',
                )
            )
            return checks
        end = inputs.now
        start = end - parse_duration(settings.doctor.lookback)
        results = await asyncio.gather(
            *(
                bounded(
                    f"prometheus.service.{name}",
                    asyncio.to_thread(
                        _service_checks, settings, source, name, (start, end), inputs.timeout
                    ),
                    inputs.timeout,
                )
                for name in services
            )
        )
        return checks + [check for found in results for check in found]
    finally:
        source.close()
