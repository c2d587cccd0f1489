"""PrometheusSource: range-query a catalogue of signals into a tidy frame.

``fetch`` is synchronous (prometheus-api-client uses requests); async callers run it in
a thread. Every failure is one of the typed errors in :mod:`analysis.prometheus.errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.calls import edge_entity
from analysis.prometheus.catalogue import Catalogue, Signal, load_catalogue
from analysis.prometheus.connection import connect, translated
from analysis.prometheus.errors import NoData
from analysis.prometheus.series import empty_frame, label_summary, to_tidy
from analysis.prometheus.step import MAX_POINTS, MIN_STEP, choose_step, format_duration
from analysis.prometheus.targets import ServiceTarget, check_name, parse_services
from analysis.prometheus.templates import render_query

__all__ = ["PrometheusSource"]

CatalogueLike = Catalogue | str | Path | Iterable[Signal | Mapping[str, Any]] | None


def _catalogue(value: CatalogueLike) -> Catalogue:
    if value is None or isinstance(value, str | Path):
        return load_catalogue(value)
    if isinstance(value, Catalogue):
        return value
    return Catalogue(()).extended(value)


def _seconds(when: datetime, name: str) -> int:
    if when.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware, got {when.isoformat()}")
    return int(when.timestamp())


class PrometheusSource:
    """Metrics of a service (and its declared dependencies) from one Prometheus server.

    ``services`` maps a service to overrides: ``pod_regex`` (default ``<service>-.*``),
    ``namespace`` (wins over the namespace passed to :meth:`fetch`) and ``depends_on``
    (services fetched with it, so that a root cause outside it can be ranked).
    """

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
        catalogue: CatalogueLike = None,
        services: Mapping[str, ServiceTarget | Mapping[str, Any]] | None = None,
        max_points: int = MAX_POINTS,
        min_step: timedelta = MIN_STEP,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        self.url = url.rstrip("/")
        self.catalogue = _catalogue(catalogue)
        self.services = parse_services(services)
        self.max_points = max_points
        self.min_step = min_step
        self._client = connect(
            self.url, token=token, username=username, password=password, timeout=timeout
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PrometheusSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ping(self) -> None:
        """Raise PrometheusUnreachable (or PrometheusAuthError) unless a query answers."""
        with translated(self.url, "ping", "vector(1)"):
            self._client.custom_query("vector(1)")

    def step_for(self, start: datetime, end: datetime) -> timedelta:
        """The range-query step used for this window."""
        return choose_step(start, end, self.max_points, self.min_step)

    def fetch(self, service: str, namespace: str, start: datetime, end: datetime) -> pd.DataFrame:
        """Tidy frame of every catalogue signal of ``service`` and its dependencies.

        Signals without series are skipped (listed in ``frame.attrs["missing"]``); NoData
        when the service itself has none. ``frame.attrs["step"]`` is the step used.
        """
        check_name("service", service)
        check_name("namespace", namespace)
        first, last = _seconds(start, "start"), _seconds(end, "end")
        step = self.step_for(start, end)
        root_namespace = self._target(service).namespace or namespace
        parts: list[pd.DataFrame] = []
        missing: list[tuple[str, str]] = []
        for name in self._with_dependencies(service):
            ns = self._target(name).namespace or root_namespace
            frame, absent = self._fetch_one(name, ns, first, last, step)
            if name == service and frame.empty:
                raise NoData(service, ns, start, end)
            parts.append(frame)
            missing.extend((name, signal) for signal in absent)
        result = pd.concat([p for p in parts if not p.empty], ignore_index=True)
        result.attrs.update(step=step.total_seconds(), missing=missing)
        return result

    def inventory(
        self, service: str, namespace: str, start: datetime, end: datetime
    ) -> tuple[list[str], list[str]]:
        """Pod names and metric names seen on the service's pods (the pod matcher) between
        ``start`` and ``end``, from the label values API."""
        check_name("service", service)
        check_name("namespace", namespace)
        target = self._target(service)
        matcher = "{" + target.pods_matcher(service, target.namespace or namespace) + "}"
        params = {
            "match[]": matcher,
            "start": str(_seconds(start, "start")),
            "end": str(_seconds(end, "end")),
        }
        with translated(self.url, "inventory", matcher):
            pods = self._client.get_label_values("pod", params)
            names = self._client.get_label_values("__name__", params)
        return sorted(map(str, pods)), sorted(map(str, names))

    def query_range_expr(self, expr: str, start: datetime, end: datetime) -> pd.DataFrame:
        """Any PromQL expression; entity = label summary, metric = ``__name__`` or the expr."""
        if not expr.strip():
            raise ValueError("expression is empty")
        first, last = _seconds(start, "start"), _seconds(end, "end")
        step = self.step_for(start, end)
        with translated(self.url, "expression", expr):
            result = self._client.custom_query_range(
                expr,
                datetime.fromtimestamp(first, UTC),
                datetime.fromtimestamp(last, UTC),
                format_duration(step),
            )
        return to_tidy(result, lambda labels: labels.get("__name__", expr), label_summary)

    def _target(self, service: str) -> ServiceTarget:
        return self.services.get(service, ServiceTarget())

    def _with_dependencies(self, service: str) -> list[str]:
        order, pending = [], [service]
        while pending:
            name = pending.pop(0)
            if name not in order:
                order.append(name)
                pending.extend(self._target(name).depends_on)
        return order

    def _fetch_one(
        self, service: str, namespace: str, first: int, last: int, step: timedelta
    ) -> tuple[pd.DataFrame, list[str]]:
        window = format_duration(max(self.catalogue.rate_window, step))
        pods = self._target(service).pods_matcher(service, namespace)
        frames: list[pd.DataFrame] = []
        missing: list[str] = []
        for signal in self.catalogue.signals:
            query = render_query(
                signal.query, service=service, namespace=namespace, window=window, pods=pods
            )
            with translated(self.url, signal.name, query):
                result = self._client.custom_query_range(
                    query,
                    datetime.fromtimestamp(first, UTC),
                    datetime.fromtimestamp(last, UTC),
                    format_duration(step),
                )
            frame = to_tidy(result, signal.name, _entity(signal, service))
            if frame.empty:
                missing.append(signal.name)
            else:
                frames.append(frame)
        if not frames:
            return empty_frame(), missing
        return pd.concat(frames, ignore_index=True), missing


def _entity(signal: Signal, service: str) -> Callable[[Mapping[str, str]], str]:
    if signal.scope == "service":
        return lambda _labels: service
    if signal.scope == "edge":
        return lambda labels: edge_entity(
            labels.get(signal.caller_label, "unknown"), labels.get(signal.callee_label, "unknown")
        )
    return lambda labels: labels.get("pod", service)
