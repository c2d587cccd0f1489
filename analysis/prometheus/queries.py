"""The PromQL behind one ranked series: a catalogue signal filled for the entity it is
about (one pod, a service, or a call edge), as ``PrometheusSource.fetch`` ran it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta

from analysis.prometheus.catalogue import Catalogue
from analysis.prometheus.step import format_duration
from analysis.prometheus.targets import ServiceTarget, promql_string
from analysis.prometheus.templates import render_query

__all__ = ["series_query"]


def _related(services: Mapping[str, ServiceTarget], service: str) -> list[str]:
    order, pending = [], [service]
    while pending:
        name = pending.pop(0)
        if name not in order:
            order.append(name)
            pending.extend(services.get(name, ServiceTarget()).depends_on)
    return order


def _owns(target: ServiceTarget, service: str, pod: str) -> bool:
    regex = target.pod_regex or f"{re.escape(service)}-.*"
    try:
        return re.fullmatch(regex, pod) is not None
    except re.error:
        return False


def series_query(
    catalogue: Catalogue,
    services: Mapping[str, ServiceTarget],
    service: str,
    namespace: str,
    entity: str,
    metric: str,
    step: timedelta,
) -> str | None:
    """The query of signal ``metric`` for ``entity`` (of ``service`` or one it depends on);
    a pod-scoped signal is narrowed to that pod. ``None`` for a signal not in the
    catalogue."""
    signal = next((s for s in catalogue.signals if s.name == metric), None)
    if signal is None:
        return None
    root = services.get(service, ServiceTarget())
    root_namespace = root.namespace or namespace
    owner = service
    for name in _related(services, service):
        target = services.get(name, ServiceTarget())
        if (signal.scope == "service" and entity == name) or (
            signal.scope == "pod" and _owns(target, name, entity)
        ):
            owner = name
            break
    target = services.get(owner, ServiceTarget())
    ns = target.namespace or root_namespace
    pods = target.pods_matcher(owner, ns)
    if signal.scope == "pod" and owner != entity:
        pods = f"namespace={promql_string(ns)}, pod={promql_string(entity)}"
    window = format_duration(max(catalogue.rate_window, step))
    return render_query(signal.query, service=owner, namespace=ns, window=window, pods=pods)
