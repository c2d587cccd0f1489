"""Samples one pod exports, from the levels its service should show over time.

Counters are cumulative (cAdvisor CPU seconds and CFS periods, kube-state-metrics
restarts, HTTP requests) and latency is a cumulative histogram with the Prometheus
client's default buckets, so PromQL's rate() and histogram_quantile() apply as in a
real cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from sandbox.demo.openmetrics import Family, Series

__all__ = ["BUCKETS", "Levels", "ar1", "histogram_series", "pod_families", "step_seconds"]

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CFS_PERIODS_PER_SECOND = 10.0  # 100 ms CFS period
LATENCY_SIGMA = 0.6  # log-normal spread of request latency


@dataclass(frozen=True)
class Levels:
    """What one pod of a service does at each time step (arrays on the time grid)."""

    cpu_demand: np.ndarray  # cores the pod wants
    cpu_limit: float  # cores
    memory_bytes: np.ndarray
    requests_per_second: np.ndarray
    error_ratio: np.ndarray
    latency_median: np.ndarray  # seconds
    restarts: int = 0


def step_seconds(times: np.ndarray) -> np.ndarray:
    """Seconds each sample covers (the grid may be coarse before a fine window)."""
    return np.diff(times, prepend=times[0] - (times[1] - times[0]))


def ar1(length: int, sigma: float, rng: np.random.Generator, rho: float = 0.7) -> np.ndarray:
    """Autocorrelated noise with stationary standard deviation ``sigma``."""
    shocks = rng.normal(0.0, sigma * np.sqrt(1 - rho**2), length)
    noise = np.empty(length)
    noise[0] = rng.normal(0.0, sigma)
    for i in range(1, length):
        noise[i] = rho * noise[i - 1] + shocks[i]
    return noise


def _cpu(levels: Levels, dt: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Used cores (capped near the limit) and the share of CFS periods throttled."""
    n = len(levels.cpu_demand)
    demand = levels.cpu_demand * (1 + ar1(n, 0.04, rng))
    cap = levels.cpu_limit * (0.97 + ar1(n, 0.01, rng))
    used = np.clip(np.minimum(demand, cap), 0.001, None)
    pressure = demand / levels.cpu_limit
    throttled = 0.015 + 0.8 * np.clip((pressure - 0.8) / 0.8, 0, 1) + ar1(n, 0.004, rng)
    return used * dt, np.clip(throttled, 0.0, 1.0)


def histogram_series(
    name: str,
    labels: dict[str, str],
    times: np.ndarray,
    served: np.ndarray,
    median: np.ndarray,
    rng: np.random.Generator,
    buckets: tuple[float, ...] = BUCKETS,
) -> tuple[Series, ...]:
    """Cumulative ``<name>_bucket``/``_sum``/``_count`` samples of log-normal latencies.

    ``served`` requests per step, with median ``median`` (same unit as ``buckets``).
    """
    bounds = np.log(np.array(buckets))[None, :]
    cdf = norm.cdf((bounds - np.log(median)[:, None]) / LATENCY_SIGMA)
    probabilities = np.diff(
        np.concatenate([np.zeros((len(served), 1)), cdf, np.ones((len(served), 1))], axis=1), axis=1
    )
    per_bucket = rng.multinomial(served, probabilities)
    mean = median * np.exp(LATENCY_SIGMA**2 / 2)
    edges = [*(format(le, "g") for le in buckets), "+Inf"]
    return (
        *(
            Series(
                f"{name}_bucket",
                {**labels, "le": le},
                times,
                np.cumsum(per_bucket[:, : i + 1].sum(axis=1)),
            )
            for i, le in enumerate(edges)
        ),
        Series(f"{name}_sum", labels, times, np.cumsum(served * mean)),
        Series(f"{name}_count", labels, times, np.cumsum(served)),
    )


def pod_families(
    namespace: str,
    service: str,
    pod: str,
    times: np.ndarray,
    levels: Levels,
    rng: np.random.Generator,
) -> list[Family]:
    """Every family one pod contributes (cAdvisor, kube-state-metrics, its own HTTP metrics)."""
    dt = step_seconds(times)
    n = len(times)
    cadvisor = {"job": "kubelet", "namespace": namespace, "pod": pod, "container": service}
    ksm = {"job": "kube-state-metrics", "namespace": namespace, "pod": pod}
    app = {"job": f"{namespace}/{service}", "namespace": namespace, "pod": pod}
    cpu_seconds, throttle = _cpu(levels, dt, rng)
    periods = CFS_PERIODS_PER_SECOND * dt
    throttled = np.round(periods * throttle)
    served = rng.poisson(levels.requests_per_second * dt)
    failed = rng.binomial(served, np.clip(levels.error_ratio, 0, 1))
    histogram = histogram_series(
        "http_request_duration_seconds", app, times, served, levels.latency_median, rng
    )
    start = rng.uniform(3600, 86400)  # seconds the pod has been running

    def counter(name: str, labels: dict[str, str], steps: np.ndarray, base: float) -> Series:
        return Series(name, labels, times, base + np.cumsum(steps))

    memory = levels.memory_bytes * (1 + ar1(n, 0.01, rng))
    ready = {"true": 1.0, "false": 0.0, "unknown": 0.0}
    return [
        Family(
            "container_cpu_usage_seconds",
            "counter",
            "Cumulative cpu time consumed.",
            (
                counter(
                    "container_cpu_usage_seconds_total",
                    cadvisor,
                    cpu_seconds,
                    start * float(levels.cpu_demand[0]),
                ),
            ),
        ),
        Family(
            "container_cpu_cfs_periods",
            "counter",
            "Elapsed CFS enforcement periods.",
            (
                counter(
                    "container_cpu_cfs_periods_total",
                    cadvisor,
                    periods,
                    start * CFS_PERIODS_PER_SECOND,
                ),
            ),
        ),
        Family(
            "container_cpu_cfs_throttled_periods",
            "counter",
            "Throttled CFS periods.",
            (counter("container_cpu_cfs_throttled_periods_total", cadvisor, throttled, 0.0),),
        ),
        Family(
            "container_memory_working_set_bytes",
            "gauge",
            "Current working set.",
            (Series("container_memory_working_set_bytes", cadvisor, times, np.round(memory)),),
        ),
        Family(
            "kube_pod_container_status_restarts",
            "counter",
            "Container restarts.",
            (
                counter(
                    "kube_pod_container_status_restarts_total",
                    {**ksm, "container": service},
                    np.zeros(n),
                    float(levels.restarts),
                ),
            ),
        ),
        Family(
            "kube_pod_status_ready",
            "gauge",
            "Pod ready condition.",
            tuple(
                Series("kube_pod_status_ready", {**ksm, "condition": c}, times, np.full(n, v))
                for c, v in ready.items()
            ),
        ),
        Family(
            "http_requests",
            "counter",
            "HTTP requests by status code.",
            (
                counter("http_requests_total", {**app, "code": "200"}, served - failed, 0.0),
                counter("http_requests_total", {**app, "code": "500"}, failed, 0.0),
            ),
        ),
        Family("http_request_duration_seconds", "histogram", "HTTP request latency.", histogram),
    ]
