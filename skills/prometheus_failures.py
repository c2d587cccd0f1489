"""A failed Prometheus fetch as the DependencyError its card shows, in the reader's language."""

from __future__ import annotations

from analysis.prometheus import NoData, PrometheusError, PrometheusQueryError, PrometheusUnreachable
from analysis.prometheus.errors import PrometheusAuthError
from bot.registry import DependencyError, DependencyFailure
from messages import t

__all__ = ["PROMETHEUS", "not_configured", "prometheus_failure"]

PROMETHEUS = "Prometheus"


def not_configured(lang: str) -> DependencyError:
    return DependencyError(PROMETHEUS, t("prometheus.failure.not_configured", lang))


def prometheus_failure(error: PrometheusError, lang: str) -> DependencyError:
    """What failed, with the server's own words (a reason, a query error) in code."""
    if isinstance(error, PrometheusAuthError):
        return DependencyError(PROMETHEUS, t("prometheus.failure.auth", lang, url=error.url))
    if isinstance(error, PrometheusUnreachable):
        detail = t("prometheus.failure.unreachable", lang, url=error.url, reason=error.reason)
        return DependencyError(PROMETHEUS, detail)
    if isinstance(error, PrometheusQueryError):
        detail = t("prometheus.failure.query", lang, signal=error.signal, detail=error.detail)
        return DependencyError(PROMETHEUS, detail)
    if isinstance(error, NoData):
        detail = t(
            "prometheus.failure.no_data", lang, service=error.service, namespace=error.namespace
        )
        return DependencyError(PROMETHEUS, detail, failure=DependencyFailure.NO_DATA)
    return DependencyError(PROMETHEUS, t("prometheus.failure.other", lang))
