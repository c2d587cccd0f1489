"""A failed dependency on the REST API: 404 when it answered without data, else 502; the
kind of failure travels on the exception, not in its wording."""

from __future__ import annotations

from datetime import UTC, datetime

from analysis.prometheus import NoData, PrometheusQueryError
from bot.api import failed_dependency
from bot.registry import DependencyError, DependencyFailure
from skills.prometheus_failures import prometheus_failure

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_no_data_is_a_404_and_a_failure_a_502() -> None:
    empty = failed_dependency(
        DependencyError("Prometheus", "nothing here", failure=DependencyFailure.NO_DATA)
    )
    down = failed_dependency(DependencyError("Prometheus", "no data, and then it crashed"))
    assert (empty.status_code, empty.detail) == (404, "Prometheus: nothing here")
    assert (down.status_code, down.detail) == (502, "Prometheus: no data, and then it crashed")


def test_prometheus_no_data_reads_as_no_data_in_every_language() -> None:
    for lang in ("en-US", "zh-CN"):
        missing = prometheus_failure(NoData("payments", "shop", WHEN, WHEN), lang)
        refused = prometheus_failure(
            PrometheusQueryError("latency", "rate(x[5m])", "parse error"), lang
        )
        assert missing.failure is DependencyFailure.NO_DATA
        assert refused.failure is DependencyFailure.UNAVAILABLE
