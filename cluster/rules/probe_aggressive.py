"""Probes so tight that one slow answer marks a pod unready or restarts it."""

from __future__ import annotations

from cluster.finding import Finding
from cluster.plans import PatchProbe
from cluster.plans.probe import PROBE_KINDS
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "probe_too_aggressive"
MIN_WINDOW_SECONDS = 6  # period × failureThreshold below this is too twitchy
SAFE_PERIOD = 10
SAFE_FAILURE_THRESHOLD = 3
SAFE_LIVENESS_DELAY = 10


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    findings: list[Finding] = []
    for container in snapshot.containers:
        for kind in PROBE_KINDS:
            probe = container.get(f"{kind}Probe")
            if not probe:
                continue
            period = int(probe.get("periodSeconds", 10))
            threshold = int(probe.get("failureThreshold", 3))
            delay = int(probe.get("initialDelaySeconds", 0))
            tight = period * threshold < MIN_WINDOW_SECONDS
            # A liveness probe from second 0 without a startup probe kills slow starters.
            eager = kind == "liveness" and delay == 0 and not container.get("startupProbe")
            if not tight and not eager:
                continue
            changes: dict[str, int] = {}
            if tight:
                changes["period"] = max(period, SAFE_PERIOD)
                changes["failure_threshold"] = max(threshold, SAFE_FAILURE_THRESHOLD)
            if eager:
                changes["initial_delay"] = SAFE_LIVENESS_DELAY
            evidence = {
                "probe": kind,
                "period": str(period),
                "failure_threshold": str(threshold),
                "initial_delay": str(delay),
                "window": str(period * threshold),
            }
            fix = PatchProbe(container["name"], kind, **changes)  # type: ignore[arg-type]
            plan = snapshot.plan(PROBLEM, fix)
            findings.append(
                Finding(snapshot.key, PROBLEM, evidence, "warning", container["name"], plan)
            )
    return findings
