"""A container keeps crashing (CrashLoopBackOff) for a reason other than memory."""

from __future__ import annotations

from cluster.finding import Finding
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "crash_loop"


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    findings: dict[str, Finding] = {}
    for pod, status in snapshot.container_statuses():
        waiting = (status.get("state") or {}).get("waiting") or {}
        last = (status.get("lastState") or {}).get("terminated") or {}
        # OOMKilled has its own rule with a memory plan; everything else lands here.
        if waiting.get("reason") != "CrashLoopBackOff" or last.get("reason") == "OOMKilled":
            continue
        name = status["name"]
        if name in findings:
            continue
        pod_name = pod["metadata"]["name"]
        evidence = {
            "pod": pod_name,
            "restarts": str(status.get("restartCount", 0)),
            "last_reason": str(last.get("reason", "unknown")),
            "exit_code": str(last.get("exitCode", "unknown")),
            "log_tail": snapshot.previous_logs.get(f"{pod_name}/{name}", ""),
        }
        findings[name] = Finding(snapshot.key, PROBLEM, evidence, "critical", name)
    return list(findings.values())
