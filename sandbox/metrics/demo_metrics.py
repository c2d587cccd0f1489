"""Demo metrics for the sandbox: the payments incident ending at ``end`` after eight days of
ordinary traffic (daily and weekly season, 5-minute samples; the last hour every 15 s),
served by a real backfilled Prometheus when installed, else by the in-process query API."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import structlog

from bot.serving import ThreadedServer, free_port
from sandbox.demo import (
    BackfilledPrometheus,
    MissingBinary,
    Scenario,
    find_binary,
    healthy_scenario,
    incident_scenario,
    openmetrics,
)
from sandbox.demo.scenario import Fault
from sandbox.metrics.query_api import query_api, store_of

__all__ = ["DemoMetrics", "demo_scenarios", "start_demo_metrics"]

log = structlog.get_logger(__name__)
MINUTES = 60
ONSET_MINUTE = 45  # the incident began 15 minutes before the sandbox started
HISTORY_DAYS = 8  # a week for /forecast (its look-back) plus a day for the scans
HISTORY_STEP_SECONDS = 600


@dataclass
class DemoMetrics:
    url: str
    engine: str  # "prometheus" or "fallback"
    scenarios: tuple[Scenario, ...]
    stop: Callable[[], None]
    ready: Callable[[], None] = lambda: None  # waits until queries answer (or raises)

    def services_config(self) -> dict[str, dict[str, object]]:
        merged: dict[str, dict[str, object]] = {}
        for scenario in self.scenarios:
            merged.update(scenario.services_config())
        return merged


def demo_scenarios(
    end: datetime,
    pods: Mapping[str, tuple[str, ...]] | None = None,
    history_days: float = HISTORY_DAYS,
    *,
    culprit: str = "ledger",
    fault: Fault = "cpu_starved",
    seed: int = 3,
) -> tuple[Scenario, ...]:
    """The payments incident (``culprit`` at fault) and a healthy storefront; ``pods``
    names the payments namespace's pods by service (the simulated cluster's), so metrics
    and cluster agree."""
    start = end - timedelta(minutes=MINUTES)
    incident = incident_scenario(
        start=start,
        minutes=MINUTES,
        onset_minute=ONSET_MINUTE,
        culprit=culprit,
        fault=fault,
        seed=seed,
        history_days=history_days,
        history_step=HISTORY_STEP_SECONDS,
        pods=pods,
    )
    healthy = healthy_scenario(
        start=start,
        minutes=MINUTES,
        seed=4,
        history_days=history_days,
        history_step=HISTORY_STEP_SECONDS,
    )
    return incident, healthy


def _backfilled(workdir: Path, scenarios: tuple[Scenario, ...]) -> DemoMetrics:
    """A real Prometheus, backfilled in the background (the caller builds the bot
    meanwhile): its URL at once, ``ready()`` when it answers."""
    server = BackfilledPrometheus(openmetrics(*scenarios), workdir / "prometheus", port=free_port())
    failed: list[BaseException] = []

    def start() -> None:
        try:
            server.start()
        except BaseException as exc:  # handed to whoever waits in ready()
            failed.append(exc)

    starting = threading.Thread(target=start, name="demo-prometheus", daemon=True)
    starting.start()

    def ready() -> None:
        starting.join()
        if failed:
            raise failed[0]

    def stop() -> None:
        starting.join(timeout=120)
        server.stop()

    return DemoMetrics(server.url, "prometheus", scenarios, stop, ready)


def start_demo_metrics(
    workdir: Path,
    end: datetime,
    *,
    engine: str = "auto",
    pods: Mapping[str, tuple[str, ...]] | None = None,
    history_days: float = HISTORY_DAYS,
    culprit: str = "ledger",
    fault: Fault = "cpu_starved",
    seed: int = 3,
) -> DemoMetrics:
    """``engine``: "auto" (Prometheus if installed), "prometheus" or "fallback". Call
    ``ready()`` on the result before querying it."""
    scenarios = demo_scenarios(end, pods, history_days, culprit=culprit, fault=fault, seed=seed)
    if engine in ("auto", "prometheus"):
        try:
            find_binary("promtool"), find_binary("prometheus")
        except MissingBinary as exc:
            if engine == "prometheus":
                raise
            log.warning("sandbox_prometheus_missing", detail=str(exc))
        else:
            return _backfilled(workdir, scenarios)
    threaded = ThreadedServer(query_api(store_of(scenarios)), lifespan="off").start()
    return DemoMetrics(threaded.url, "fallback", scenarios, threaded.stop)
