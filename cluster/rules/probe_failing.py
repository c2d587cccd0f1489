"""Readiness or liveness probes fail: wrong path (404) or wrong port (refused)."""

from __future__ import annotations

from typing import Any

from cluster.finding import Finding, Severity
from cluster.plans import PatchProbe
from cluster.plans.probe import PROBE_KINDS, ProbeKind
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "probe_failing"
_PREFIXES: dict[ProbeKind, str] = {
    "readiness": "Readiness probe failed:",
    "liveness": "Liveness probe failed:",
}


def _cause(message: str) -> str:
    if "statuscode: 404" in message:
        return "wrong_path"
    if "connection refused" in message:
        return "wrong_port"
    if "deadline exceeded" in message or "timeout" in message.lower():
        return "timeout"
    return "failing"


def _fix(container: dict[str, Any], kind: ProbeKind, cause: str) -> PatchProbe | None:
    probe = container.get(f"{kind}Probe") or {}
    http = probe.get("httpGet") or {}
    if cause == "wrong_path" and http:
        # Prefer the path the container's other probe uses, else the root path.
        other = container.get("livenessProbe" if kind == "readiness" else "readinessProbe") or {}
        other_path = (other.get("httpGet") or {}).get("path")
        path = other_path if other_path and other_path != http.get("path") else "/"
        return PatchProbe(container["name"], kind, path=path) if path != http.get("path") else None
    if cause == "wrong_port" and (http or probe.get("tcpSocket")):
        declared = [p["containerPort"] for p in container.get("ports") or []]
        current = (http or probe.get("tcpSocket") or {}).get("port")
        if declared and current not in declared and http:
            return PatchProbe(container["name"], kind, port=int(declared[0]))
    if cause == "timeout":
        timeout = min(60, max(5, 2 * int(probe.get("timeoutSeconds", 1))))
        return PatchProbe(container["name"], kind, timeout=timeout)
    return None


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    findings: list[Finding] = []
    events = snapshot.events_for("Pod", reason="Unhealthy")
    for kind in PROBE_KINDS:
        prefix = _PREFIXES[kind]
        failures = [e for e in events if str(e.get("message", "")).startswith(prefix)]
        # A pod's events do not name the container: blame those having this probe.
        probed = [c for c in snapshot.containers if c.get(f"{kind}Probe")]
        troubled = {
            s["name"]
            for _, s in snapshot.container_statuses()
            if not s.get("ready") or s.get("restartCount")
        }
        probed.sort(key=lambda c: c["name"] not in troubled)
        if not failures or not probed:
            continue
        latest = max(failures, key=lambda e: str(e.get("lastTimestamp") or ""))
        message = str(latest["message"])[len(prefix) :].strip()
        cause = _cause(message)
        container = probed[0]
        probe = container[f"{kind}Probe"]
        handler = probe.get("httpGet") or probe.get("tcpSocket") or {}
        evidence = {
            "probe": kind,
            "cause": cause,
            "path": str(handler.get("path", "")),
            "port": str(handler.get("port", "")),
            "message": message,
            "count": str(sum(int(e.get("count") or 1) for e in failures)),
        }
        ready = int(snapshot.status.get("readyReplicas") or 0)
        severity: Severity = "critical" if ready == 0 or kind == "liveness" else "warning"
        fix = _fix(container, kind, cause)
        plan = snapshot.plan(PROBLEM, fix) if fix else None
        findings.append(Finding(snapshot.key, PROBLEM, evidence, severity, container["name"], plan))
    return findings
