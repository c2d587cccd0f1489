"""What kind of evidence a metric is, from its name alone.

Root-cause ranking weighs a departure by what the metric says about its entity:

- ``resource``: the entity's own use of CPU, memory, threads, disk, or a resource at its
  limit (throttling, OOM kills, restarts, readiness lost). A fault usually *starts* here:
  cause-type evidence.
- ``symptom``: latency and errors. They show on the culprit and on everything that
  calls it, so they are good evidence but spread upstream.
- ``load``: request rate, throughput, network and syscall traffic. They move with every
  incident (retries, failover, a caller that slowed down) and with unrelated load shifts:
  mostly effect-type evidence.

Names are matched case-insensitively by the first pattern list that contains one of their
words, so the catalogue's names (``cpu_usage_cores``, ``request_rate``), cAdvisor's and
common exporters' names (``process_cpu_seconds``, ``jvm_memory_used_bytes``, ``qps``,
``PodWorkload(Ops)``) and short generic names (``cpu``, ``mem``, ``load``, ``latency``)
all get a kind. An unknown name is ``other`` and weighs like a symptom.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

import numpy as np

__all__ = ["KIND_WEIGHTS", "MetricKind", "kind_of", "kind_weights"]

MetricKind = Literal["resource", "symptom", "load", "other"]

# Checked in this order: "cpu_throttled" is a resource before "throttled requests" could be
# anything else; "error" and "latency" are symptoms before "request" makes them load.
_PATTERNS: tuple[tuple[MetricKind, tuple[str, ...]], ...] = (
    (
        "resource",
        (
            "cpu",
            "mem",
            "memory",
            "heap",
            "rss",
            "working_set",
            "throttl",
            "oom",
            "restart",
            "ready",
            "thread",
            "goroutine",
            "gc",
            "fd",
            "disk",
            "filesystem",
            "fs",
            "io",
            "swap",
            "saturation",
            "utili",
        ),
    ),
    (
        "symptom",
        (
            "latency",
            "duration",
            "response_time",
            "rt",
            "p50",
            "p90",
            "p95",
            "p99",
            "error",
            "errors",
            "fail",
            "failure",
            "5xx",
            "success",
            "timeout",
            "slow",
        ),
    ),
    (
        "load",
        (
            "load",
            "qps",
            "rps",
            "tps",
            "request",
            "requests",
            "rate",
            "throughput",
            "traffic",
            "workload",
            "ops",
            "calls",
            "count",
            "network",
            "receive",
            "transmit",
            "bytes_in",
            "bytes_out",
            "rx",
            "tx",
            "syscall",
            "connections",
            "sessions",
        ),
    ),
)

KIND_WEIGHTS: dict[MetricKind, float] = {
    "resource": 1.0,
    "symptom": 0.8,
    "other": 0.8,
    "load": 0.5,
}
"""Multipliers of a departure's log-magnitude per kind. Set from the reasoning in the
module docstring, not fitted to any dataset: 0.5 on a log scale means a load change must
be about the square of a resource change (in robust z units) to weigh the same."""

_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def kind_of(metric: str) -> MetricKind:
    """The evidence kind of a metric name (see the module docstring)."""
    lowered = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", metric).lower()
    words = set(_WORD.findall(lowered))
    for kind, stems in _PATTERNS:
        for stem in stems:
            if "_" in stem:
                if stem in lowered:
                    return kind
            elif stem in words or any(word.startswith(stem) and len(stem) >= 3 for word in words):
                return kind
    return "other"


def kind_weights(metrics: Iterable[str]) -> np.ndarray:
    """``KIND_WEIGHTS`` of every metric name, in order."""
    return np.array([KIND_WEIGHTS[kind_of(metric)] for metric in metrics], dtype=float)
