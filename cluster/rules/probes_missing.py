"""Containers without probes: traffic reaches pods that are not ready, hangs go unnoticed."""

from __future__ import annotations

from cluster.finding import Finding, Severity
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "probes_missing"


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    findings: list[Finding] = []
    for container in snapshot.containers:
        serves = bool(container.get("ports"))
        missing = [
            kind
            for kind in ("readiness", "liveness")
            if not container.get(f"{kind}Probe") and (serves or kind == "liveness")
        ]
        if not missing:
            continue
        # Missing readiness on a serving container sends traffic to cold pods: warn.
        severity: Severity = "warning" if "readiness" in missing else "info"
        evidence = {"missing": ", ".join(missing)}
        findings.append(Finding(snapshot.key, PROBLEM, evidence, severity, container["name"]))
    return findings
