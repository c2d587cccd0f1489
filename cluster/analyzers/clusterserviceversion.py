"""OLM ClusterServiceVersions: an operator install that Failed, or one stuck short of
Succeeded (Pending, InstallReady, Installing) for longer than ``STUCK_SECONDS``.

Copies of a CSV that OLM places in every target namespace (label ``olm.copiedFrom``) are
left to the original's namespace."""

from __future__ import annotations

from cluster.analyzers.conditions import seconds_since, short
from cluster.finding import Finding
from cluster.view import NamespaceView

KIND = "ClusterServiceVersion"
PROBLEMS = ("csv_failed", "csv_not_succeeded")
STUCK_SECONDS = 600
SETTLED = ("Succeeded", "Failed", "Replacing", "Deleting")  # Replacing: an upgrade at work


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for csv in view.cluster_service_versions:
        meta = csv["metadata"]
        if "olm.copiedFrom" in (meta.get("labels") or {}):
            continue
        status = csv.get("status") or {}
        phase = str(status.get("phase") or "")
        name = str(meta["name"])
        evidence = {
            "csv": name,
            "phase": phase or "-",
            "reason": str(status.get("reason") or "-"),
            "message": short(status.get("message")),
        }
        if phase == "Failed":
            findings.append(Finding(view.key(KIND, name), PROBLEMS[0], evidence, "critical"))
            continue
        if phase in SETTLED:
            continue
        since = status.get("lastTransitionTime") or meta.get("creationTimestamp")
        waited = seconds_since(since, view.now)
        if waited is None or waited < STUCK_SECONDS:
            continue
        evidence["minutes"] = str(int(waited // 60))
        findings.append(Finding(view.key(KIND, name), PROBLEMS[1], evidence, "warning"))
    return findings
