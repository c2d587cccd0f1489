"""Failures become typed errors; credentials reach the server."""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from analysis.prometheus import (
    NoData,
    PrometheusAuthError,
    PrometheusQueryError,
    PrometheusSource,
    PrometheusUnreachable,
    Signal,
)

END = datetime(2023, 11, 14, 22, 15, tzinfo=UTC)
START = END - timedelta(minutes=30)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A listening socket that never answers: connections succeed, reads time out."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_bearer_token_is_sent_as_authorization_header(recorder) -> None:
    url, state = recorder
    catalogue = [Signal("up_pods", "up{{pods}}", "pod")]
    with PrometheusSource(url, token="s3cret-token", catalogue=catalogue) as source:
        frame = source.fetch("api", "prod", START, END)
    assert [path.split("?")[0] for path, _ in state.requests] == ["/api/v1/query_range"]
    assert state.requests[0][1]["Authorization"] == "Bearer s3cret-token"
    assert set(frame["entity"]) == {"api-1"}


def test_basic_auth_is_sent(recorder) -> None:
    url, state = recorder
    with PrometheusSource(url, username="ops", password="pa:ss") as source:
        source.ping()
    expected = "Basic " + base64.b64encode(b"ops:pa:ss").decode()
    assert state.requests[0][1]["Authorization"] == expected


def test_refused_credentials_raise_auth_error(recorder) -> None:
    url, state = recorder
    state.status = 401
    with (
        PrometheusSource(url, token="wrong") as source,
        pytest.raises(PrometheusAuthError, match="401"),
    ):
        source.ping()


def test_token_and_basic_auth_together_are_rejected() -> None:
    with pytest.raises(ValueError, match="either"):
        PrometheusSource("http://127.0.0.1:1", token="t", username="u", password="p")


def test_refused_connection_raises_unreachable_naming_the_url() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    source = PrometheusSource(url, timeout=1.0)
    with pytest.raises(PrometheusUnreachable) as caught:
        source.fetch("payments", "payments", START, END)
    assert url in str(caught.value)
    assert "refused" in str(caught.value)
    with pytest.raises(PrometheusUnreachable):
        source.ping()


def test_silent_server_times_out_as_unreachable(silent_url) -> None:
    began = time.monotonic()
    with pytest.raises(PrometheusUnreachable, match="timed out") as caught:
        PrometheusSource(silent_url, timeout=0.3).ping()
    assert silent_url in str(caught.value)
    assert time.monotonic() - began < 5


def test_broken_template_names_the_signal(backfilled, source_for) -> None:
    broken = Signal(
        "cpu_broken",
        "sum by (pod) (rate(container_cpu_usage_seconds_total{{pods}}[{window}])",
        "pod",
    )
    source = source_for(catalogue=[Signal("ready", "kube_pod_status_ready{{pods}}"), broken])
    end = backfilled.incident.end
    with pytest.raises(PrometheusQueryError) as caught:
        source.fetch("payments", "payments", end - timedelta(minutes=30), end)
    assert caught.value.signal == "cpu_broken"
    assert "'cpu_broken'" in str(caught.value)
    assert "parse error" in caught.value.detail


def test_names_that_could_inject_promql_are_rejected(backfilled, source_for) -> None:
    end = backfilled.incident.end
    with pytest.raises(ValueError, match="Kubernetes name"):
        source_for().fetch('payments"}) or vector(1', "payments", end - timedelta(hours=1), end)


def test_naive_datetimes_are_rejected(backfilled, source_for) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        source_for().fetch("payments", "payments", datetime(2024, 1, 1), datetime(2024, 1, 2))


def test_no_data_outside_the_backfilled_hours(backfilled, source_for) -> None:
    end = backfilled.incident.start - timedelta(hours=2)
    with pytest.raises(NoData):
        source_for().fetch("payments", "payments", end - timedelta(minutes=30), end)
