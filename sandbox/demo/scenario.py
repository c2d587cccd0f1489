"""Synthetic but realistic incidents to backfill into a real Prometheus.

``incident_scenario``: the ``culprit`` (a dependency of ``service``) is starved of CPU
at the onset (throttling and saturation first), its latency follows a minute later and
the service's latency and error ratio rise 2.5 minutes after the onset; the other
dependencies stay healthy. With ``fault="network_delay"`` the culprit's own metrics stay
flat: only the calls to it (the mesh's edge latency) slow down, and the service suffers
half a minute later. The service's calls to its dependencies are reported as Istio mesh
metrics. ``healthy_scenario``: one service with nothing wrong.

With ``history_days`` both also hold that many days of ordinary traffic before the window,
with a daily and a weekly season (busy afternoons, quiet weekends), so forecasts and
day-long anomaly scans have something to read: the request counters and ready pods over
all of it every ``history_step`` seconds (what a forecast reads), every family over the
last day every ``RECENT_STEP_SECONDS`` (what a day-long scan reads at its 5-minute rate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import numpy as np
import pandas as pd

from sandbox.demo.mesh import call_families
from sandbox.demo.openmetrics import Family, render_openmetrics
from sandbox.demo.profiles import PROFILES, Profile, pod_names
from sandbox.demo.workload import Levels, pod_families

__all__ = [
    "HISTORY_STEP_SECONDS",
    "STEP_SECONDS",
    "Scenario",
    "healthy_scenario",
    "incident_scenario",
    "openmetrics",
    "season",
]

STEP_SECONDS = 15
HISTORY_STEP_SECONDS = 300
RECENT_STEP_SECONDS = 120
RECENT_DAYS = 0.25
LONG_FAMILIES = frozenset({"http_requests", "kube_pod_status_ready"})
DAY = 86_400.0
NETWORK_SECONDS = 0.0005  # mesh latency of a healthy call on top of the callee's own
DELAY_SECONDS = 0.2  # added to every call to the culprit by a network delay

Fault = Literal["cpu_starved", "network_delay"]


@dataclass(frozen=True)
class Scenario:
    """Samples of several services; ``end`` closes the window callers should query."""

    service: str
    namespace: str
    start: pd.Timestamp
    end: pd.Timestamp
    culprit: str | None
    onset: pd.Timestamp | None
    pods: Mapping[str, tuple[str, ...]]
    dependencies: tuple[str, ...]
    pod_regex: str | None = None
    families: tuple[Family, ...] = field(default=(), repr=False)

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(self.pods)

    @property
    def text(self) -> str:
        """OpenMetrics text of this scenario alone."""
        return openmetrics(self)

    def services_config(self) -> dict[str, dict[str, Any]]:
        """The ``services`` mapping of a PrometheusSource that finds these pods."""
        config: dict[str, dict[str, Any]] = {
            name: {"namespace": self.namespace} for name in self.services
        }
        config[self.service]["depends_on"] = list(self.dependencies)
        if self.pod_regex:
            config[self.service]["pod_regex"] = self.pod_regex
        return config


def openmetrics(*scenarios: Scenario) -> str:
    """One OpenMetrics text holding every scenario (families merged by name)."""
    return render_openmetrics(family for s in scenarios for family in s.families)


def _window(
    start: datetime | None,
    minutes: int,
    history_days: float = 0.0,
    history_step: int = HISTORY_STEP_SECONDS,
) -> tuple[pd.Timestamp, np.ndarray]:
    """The window's start and the time grid: ``history_days`` before it every
    ``history_step`` seconds, then the window every ``STEP_SECONDS``."""
    if minutes < 10:
        raise ValueError(f"minutes must be at least 10, got {minutes}")
    if history_days < 0 or history_step < STEP_SECONDS:
        raise ValueError("history_days must be >= 0 and history_step >= STEP_SECONDS")
    if start is None:
        end = pd.Timestamp(datetime.now(UTC) - timedelta(hours=1)).floor("min")
        begin = end - pd.Timedelta(minutes=minutes)
    else:
        begin = pd.Timestamp(start)
        if begin.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        begin = begin.tz_convert("UTC").floor("s")
    first = int(begin.timestamp())
    window = np.arange(first, first + minutes * 60 + 1, STEP_SECONDS, dtype=float)
    recent_from = first - int(min(history_days, RECENT_DAYS) * DAY)
    older = np.arange(first - int(history_days * DAY), recent_from, history_step, dtype=float)
    recent = np.arange(recent_from, first, RECENT_STEP_SECONDS, dtype=float)
    return begin, np.concatenate([older, recent, window])


def _recent_only(families: list[Family], since: float) -> list[Family]:
    """Only the request counters and ready pods reach back before ``since``."""
    return [
        f
        if f.name in LONG_FAMILIES
        else replace(
            f,
            series=tuple(
                replace(x, timestamps=x.timestamps[keep], values=x.values[keep])
                for x in f.series
                for keep in [x.timestamps >= since]
            ),
        )
        for f in families
    ]


def season(times: np.ndarray) -> np.ndarray:
    """Traffic relative to the weekly mean: a daily wave (peak mid-afternoon UTC+8,
    trough before dawn) and quieter weekends."""
    local = times + 8 * 3600
    day = 1 + 0.35 * np.sin(2 * np.pi * (local % DAY / DAY - 0.375))
    weekday = (np.floor(local / DAY).astype(int) + 3) % 7  # 1970-01-01 was a Thursday
    return day * np.where(weekday >= 5, 0.75, 1.0)


def _ramp(times: np.ndarray, at: float, seconds: float = 60.0) -> np.ndarray:
    """0 before ``at``, 1 after ``at + seconds``, smooth in between."""
    x = np.clip((times - at) / seconds, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _levels(profile: Profile, times: np.ndarray, phase: float, seasonal: bool) -> Levels:
    n = len(times)
    drift = 1 + 0.02 * np.sin(2 * np.pi * (times - times[0]) / 3600 + phase)
    if seasonal:
        drift = drift * season(times)
    return Levels(
        cpu_demand=np.full(n, profile.cpu) * drift,
        cpu_limit=profile.cpu_limit,
        memory_bytes=np.full(n, profile.memory_mib * 2**20),
        requests_per_second=np.full(n, profile.rps) * drift,
        error_ratio=np.full(n, profile.error_ratio),
        latency_median=np.full(n, profile.latency),
    )


def _families(
    namespace: str,
    service: str,
    pods: tuple[str, ...],
    times: np.ndarray,
    levels: Levels,
    rng: np.random.Generator,
) -> list[Family]:
    return [f for pod in pods for f in pod_families(namespace, service, pod, times, levels, rng)]


def incident_scenario(
    service: str = "payments",
    namespace: str = "payments",
    start: datetime | None = None,
    minutes: int = 60,
    culprit: str = "ledger",
    onset_minute: int = 40,
    seed: int = 0,
    fault: Fault = "cpu_starved",
    history_days: float = 0.0,
    history_step: int = HISTORY_STEP_SECONDS,
    pods: Mapping[str, tuple[str, ...]] | None = None,
) -> Scenario:
    """``service`` depends on ledger, fraud and accounts; ``culprit`` is CPU-starved (or
    its calls delayed) from ``onset_minute`` on. ``start`` defaults to ``minutes`` before
    (now - 1 h), on a minute. ``pods`` names the pods of some services (e.g. those of a
    cluster); the others get generated names."""
    if minutes < 20:
        raise ValueError(f"an incident needs at least 20 minutes, got {minutes}")
    dependencies = tuple(name for name in PROFILES if name not in ("payments", service))
    if culprit not in dependencies:
        raise ValueError(f"culprit must be one of {', '.join(dependencies)}, got {culprit!r}")
    if fault not in ("cpu_starved", "network_delay"):
        raise ValueError(f"fault must be cpu_starved or network_delay, got {fault!r}")
    if not 5 <= onset_minute <= minutes - 10:
        raise ValueError(f"onset_minute must lie in [5, {minutes - 10}], got {onset_minute}")
    begin, times = _window(start, minutes, history_days, history_step)
    rng = np.random.default_rng(seed)
    onset = begin.timestamp() + onset_minute * 60
    named: dict[str, tuple[str, ...]] = {}
    families: list[Family] = []
    levels: dict[str, Levels] = {}
    delayed = fault == "network_delay"
    for name, profile in {
        service: PROFILES["payments"],
        **{d: PROFILES[d] for d in dependencies},
    }.items():
        given = (pods or {}).get(name)
        named[name] = tuple(given) if given else pod_names(name, profile.pods, rng)
        levels[name] = _levels(profile, times, rng.uniform(0, 2 * np.pi), history_days > 0)
        if name == culprit and not delayed:
            levels[name] = _starved(levels[name], times, onset)
        elif name == service:
            levels[name] = _impacted(levels[name], times, onset + (30 if delayed else 150))
        families += _families(namespace, name, named[name], times, levels[name], rng)
    calls = levels[service].requests_per_second * len(named[service])
    for name in dependencies:
        delay = DELAY_SECONDS * _ramp(times, onset, 30) if delayed and name == culprit else 0.0
        latency = levels[name].latency_median + NETWORK_SECONDS + delay
        families += call_families(
            namespace, service, name, times, calls, latency, levels[name].error_ratio, rng
        )
    families = _recent_only(families, begin.timestamp() - RECENT_DAYS * DAY)
    return Scenario(
        service,
        namespace,
        begin,
        begin + pd.Timedelta(minutes=minutes),
        culprit,
        pd.Timestamp(onset, unit="s", tz="UTC"),
        named,
        dependencies,
        families=tuple(families),
    )


def _starved(levels: Levels, times: np.ndarray, onset: float) -> Levels:
    """CPU demand far above the limit at once; latency a minute later, errors after."""
    cpu = _ramp(times, onset, 45)
    slow = _ramp(times, onset + 60)
    return Levels(
        cpu_demand=levels.cpu_demand * (1 + 3.8 * cpu),
        cpu_limit=levels.cpu_limit,
        memory_bytes=levels.memory_bytes,
        requests_per_second=levels.requests_per_second,
        error_ratio=levels.error_ratio + 0.02 * _ramp(times, onset + 90),
        latency_median=levels.latency_median * (1 + 25 * slow),
    )


def _impacted(levels: Levels, times: np.ndarray, at: float) -> Levels:
    """Waiting on a slow dependency: latency up about tenfold, some requests time out."""
    hit = _ramp(times, at)
    return Levels(
        cpu_demand=levels.cpu_demand,
        cpu_limit=levels.cpu_limit,
        memory_bytes=levels.memory_bytes,
        requests_per_second=levels.requests_per_second,
        error_ratio=levels.error_ratio + 0.05 * hit,
        latency_median=levels.latency_median * (1 + 10 * hit),
    )


def healthy_scenario(
    service: str = "storefront",
    namespace: str = "shop",
    start: datetime | None = None,
    minutes: int = 60,
    seed: int = 1,
    pod_prefix: str | None = None,
    history_days: float = 0.0,
    history_step: int = HISTORY_STEP_SECONDS,
) -> Scenario:
    """One steady service. With ``pod_prefix`` its pods are ``<prefix>-...`` instead of
    ``<service>-...`` (``scenario.pod_regex`` then holds the matching regex)."""
    begin, times = _window(start, minutes, history_days, history_step)
    rng = np.random.default_rng(seed)
    profile = PROFILES["payments"]
    names = pod_names(pod_prefix or service, profile.pods, rng)
    levels = _levels(profile, times, rng.uniform(0, 2 * np.pi), history_days > 0)
    return Scenario(
        service,
        namespace,
        begin,
        begin + pd.Timedelta(minutes=minutes),
        None,
        None,
        {service: names},
        (),
        f"{pod_prefix}-.*" if pod_prefix else None,
        tuple(
            _recent_only(
                _families(namespace, service, names, times, levels, rng),
                begin.timestamp() - RECENT_DAYS * DAY,
            )
        ),
    )
