"""Diagnosis rules: one problem per module, each ``check(snapshot) -> list[Finding]``.

``RULES`` is a plain registry (name → check); every rule runs by default.
"""

from __future__ import annotations

from collections.abc import Callable

from cluster.finding import Finding
from cluster.rules import (
    config_error,
    cpu_throttled,
    crash_loop,
    image_pull,
    limit_range_refused,
    oom_killed,
    overprovisioned,
    probe_aggressive,
    probe_failing,
    probes_missing,
    quota_exceeded,
    replicas_unavailable,
    rollout_stuck,
    service_endpoints,
    unschedulable,
)
from cluster.snapshot import WorkloadSnapshot

__all__ = ["Rule", "RULES", "PROBLEMS"]

Rule = Callable[[WorkloadSnapshot], list[Finding]]

_MODULES = (
    crash_loop,
    oom_killed,
    image_pull,
    config_error,
    probe_failing,
    probe_aggressive,
    probes_missing,
    unschedulable,
    quota_exceeded,
    limit_range_refused,
    rollout_stuck,
    replicas_unavailable,
    service_endpoints,
    overprovisioned,
    cpu_throttled,
)
RULES: dict[str, Rule] = {module.__name__.rsplit(".", 1)[-1]: module.check for module in _MODULES}
PROBLEMS: dict[str, str] = {
    module.__name__.rsplit(".", 1)[-1]: module.PROBLEM for module in _MODULES
}
