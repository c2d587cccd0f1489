"""Samples a service mesh (Istio's standard metrics) reports for one call edge.

Istio's client-side proxy (``reporter="source"``) counts the requests from one workload
to another (``istio_requests_total`` by ``response_code``) and their latency in
milliseconds (``istio_request_duration_milliseconds``); the edge is named by the
``source_workload`` and ``destination_workload`` labels.
"""

from __future__ import annotations

import numpy as np

from sandbox.demo.openmetrics import Family, Series
from sandbox.demo.workload import histogram_series, step_seconds

__all__ = ["ISTIO_BUCKETS_MS", "call_families"]

ISTIO_BUCKETS_MS = (0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)


def call_families(
    namespace: str,
    caller: str,
    callee: str,
    times: np.ndarray,
    requests_per_second: np.ndarray,
    latency_seconds: np.ndarray,
    error_ratio: np.ndarray,
    rng: np.random.Generator,
) -> list[Family]:
    """Request counter and latency histogram of the calls ``caller`` -> ``callee``."""
    labels = {
        "reporter": "source",
        "source_workload": caller,
        "source_workload_namespace": namespace,
        "destination_workload": callee,
        "destination_workload_namespace": namespace,
    }
    dt = step_seconds(times)
    served = rng.poisson(requests_per_second * dt)
    failed = rng.binomial(served, np.clip(error_ratio, 0, 1))
    latency = histogram_series(
        "istio_request_duration_milliseconds",
        labels,
        times,
        served,
        latency_seconds * 1000,
        rng,
        ISTIO_BUCKETS_MS,
    )
    requests = tuple(
        Series("istio_requests_total", {**labels, "response_code": code}, times, np.cumsum(n))
        for code, n in (("200", served - failed), ("503", failed))
    )
    return [
        Family("istio_requests", "counter", "Requests between workloads.", requests),
        Family(
            "istio_request_duration_milliseconds",
            "histogram",
            "Request duration between workloads.",
            latency,
        ),
    ]
