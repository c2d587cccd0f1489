"""An outage runs from a dependency's first failure until it answers again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.outages import Outages

T0 = datetime(2026, 12, 3, 6, 2, tzinfo=UTC)


def test_the_first_failure_is_kept_until_recovery() -> None:
    outages = Outages()
    assert outages.failed("Prometheus", T0) == T0
    assert outages.failed("Prometheus", T0 + timedelta(minutes=7)) == T0
    assert outages.failed("Kubernetes", T0 + timedelta(minutes=1)) == T0 + timedelta(minutes=1)
    outages.recovered("Prometheus")
    assert outages.since("Prometheus") is None
    assert outages.since("Kubernetes") == T0 + timedelta(minutes=1)
    later = T0 + timedelta(hours=1)
    assert outages.failed("Prometheus", later) == later  # a new outage
