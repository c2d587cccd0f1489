"""Demo metrics for the sandbox: the payments incident ending at ``end``, served by a real
backfilled Prometheus when installed, else by the in-process query API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import structlog

from analysis.demo import (
    BackfilledPrometheus,
    MissingBinary,
    Scenario,
    healthy_scenario,
    incident_scenario,
    openmetrics,
)
from bot.sandbox.query_api import query_api, store_of
from bot.serving import ThreadedServer

__all__ = ["DemoMetrics", "demo_scenarios", "start_demo_metrics"]

log = structlog.get_logger(__name__)
MINUTES = 60
ONSET_MINUTE = 45  # the incident began 15 minutes before the sandbox started


@dataclass
class DemoMetrics:
    url: str
    engine: str  # "prometheus" or "fallback"
    scenarios: tuple[Scenario, ...]
    stop: Callable[[], None]

    def services_config(self) -> dict[str, dict[str, object]]:
        merged: dict[str, dict[str, object]] = {}
        for scenario in self.scenarios:
            merged.update(scenario.services_config())
        return merged


def demo_scenarios(end: datetime) -> tuple[Scenario, ...]:
    start = end - timedelta(minutes=MINUTES)
    incident = incident_scenario(start=start, minutes=MINUTES, onset_minute=ONSET_MINUTE, seed=3)
    healthy = healthy_scenario(start=start, minutes=MINUTES, seed=4)
    return incident, healthy


def start_demo_metrics(workdir: Path, end: datetime, *, engine: str = "auto") -> DemoMetrics:
    """``engine``: "auto" (Prometheus if installed), "prometheus" or "fallback"."""
    scenarios = demo_scenarios(end)
    if engine in ("auto", "prometheus"):
        server = BackfilledPrometheus(openmetrics(*scenarios), workdir / "prometheus")
        try:
            server.start()
            return DemoMetrics(server.url, "prometheus", scenarios, server.stop)
        except MissingBinary as exc:
            if engine == "prometheus":
                raise
            log.warning("sandbox_prometheus_missing", detail=str(exc))
    threaded = ThreadedServer(query_api(store_of(scenarios)), lifespan="off").start()
    return DemoMetrics(threaded.url, "fallback", scenarios, threaded.stop)
