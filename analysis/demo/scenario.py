"""Synthetic but realistic incidents to backfill into a real Prometheus.

``incident_scenario``: the ``culprit`` (a dependency of ``service``) is starved of CPU
at the onset (throttling and saturation first), its latency follows a minute later and
the service's latency and error ratio rise 2.5 minutes after the onset; the other
dependencies stay healthy. With ``fault="network_delay"`` the culprit's own metrics stay
flat: only the calls to it (the mesh's edge latency) slow down, and the service suffers
half a minute later. The service's calls to its dependencies are reported as Istio mesh
metrics. ``healthy_scenario``: one service with nothing wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis.demo.mesh import call_families
from analysis.demo.openmetrics import Family, render_openmetrics
from analysis.demo.profiles import PROFILES, Profile, pod_names
from analysis.demo.workload import Levels, pod_families

__all__ = ["STEP_SECONDS", "Scenario", "healthy_scenario", "incident_scenario", "openmetrics"]

STEP_SECONDS = 15
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


def _window(start: datetime | None, minutes: int) -> tuple[pd.Timestamp, np.ndarray]:
    if minutes < 10:
        raise ValueError(f"minutes must be at least 10, got {minutes}")
    if start is None:
        end = pd.Timestamp(datetime.now(UTC) - timedelta(hours=1)).floor("min")
        begin = end - pd.Timedelta(minutes=minutes)
    else:
        begin = pd.Timestamp(start)
        if begin.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        begin = begin.tz_convert("UTC").floor("s")
    first = int(begin.timestamp())
    return begin, np.arange(first, first + minutes * 60 + 1, STEP_SECONDS, dtype=float)


def _ramp(times: np.ndarray, at: float, seconds: float = 60.0) -> np.ndarray:
    """0 before ``at``, 1 after ``at + seconds``, smooth in between."""
    x = np.clip((times - at) / seconds, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _levels(profile: Profile, times: np.ndarray, phase: float) -> Levels:
    n = len(times)
    drift = 1 + 0.02 * np.sin(2 * np.pi * (times - times[0]) / 3600 + phase)
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
) -> Scenario:
    """``service`` depends on ledger, fraud and accounts; ``culprit`` is CPU-starved (or
    its calls delayed) from ``onset_minute`` on. ``start`` defaults to ``minutes`` before
    (now - 1 h), on a minute."""
    if minutes < 20:
        raise ValueError(f"an incident needs at least 20 minutes, got {minutes}")
    dependencies = tuple(name for name in PROFILES if name not in ("payments", service))
    if culprit not in dependencies:
        raise ValueError(f"culprit must be one of {', '.join(dependencies)}, got {culprit!r}")
    if fault not in ("cpu_starved", "network_delay"):
        raise ValueError(f"fault must be cpu_starved or network_delay, got {fault!r}")
    if not 5 <= onset_minute <= minutes - 10:
        raise ValueError(f"onset_minute must lie in [5, {minutes - 10}], got {onset_minute}")
    begin, times = _window(start, minutes)
    rng = np.random.default_rng(seed)
    onset = times[0] + onset_minute * 60
    pods: dict[str, tuple[str, ...]] = {}
    families: list[Family] = []
    levels: dict[str, Levels] = {}
    delayed = fault == "network_delay"
    for name, profile in {
        service: PROFILES["payments"],
        **{d: PROFILES[d] for d in dependencies},
    }.items():
        pods[name] = pod_names(name, profile.pods, rng)
        levels[name] = _levels(profile, times, rng.uniform(0, 2 * np.pi))
        if name == culprit and not delayed:
            levels[name] = _starved(levels[name], times, onset)
        elif name == service:
            levels[name] = _impacted(levels[name], times, onset + (30 if delayed else 150))
        families += _families(namespace, name, pods[name], times, levels[name], rng)
    calls = levels[service].requests_per_second * len(pods[service])
    for name in dependencies:
        delay = DELAY_SECONDS * _ramp(times, onset, 30) if delayed and name == culprit else 0.0
        latency = levels[name].latency_median + NETWORK_SECONDS + delay
        families += call_families(
            namespace, service, name, times, calls, latency, levels[name].error_ratio, rng
        )
    return Scenario(
        service,
        namespace,
        begin,
        begin + pd.Timedelta(minutes=minutes),
        culprit,
        pd.Timestamp(onset, unit="s", tz="UTC"),
        pods,
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
) -> Scenario:
    """One steady service. With ``pod_prefix`` its pods are ``<prefix>-...`` instead of
    ``<service>-...`` (``scenario.pod_regex`` then holds the matching regex)."""
    begin, times = _window(start, minutes)
    rng = np.random.default_rng(seed)
    profile = PROFILES["payments"]
    names = pod_names(pod_prefix or service, profile.pods, rng)
    levels = _levels(profile, times, rng.uniform(0, 2 * np.pi))
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
        tuple(_families(namespace, service, names, times, levels, rng)),
    )
