"""DaemonSets running where they must not (misscheduled) or missing where they should run.
(Unavailable pods and container checks are the workload rules, run on the DaemonSet by
``cluster.survey``.)"""

from __future__ import annotations

from cluster.finding import Finding
from cluster.view import NamespaceView

KIND = "DaemonSet"
PROBLEMS = ("daemonset_misscheduled", "daemonset_unscheduled")


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for daemon_set in view.daemon_sets:
        status = daemon_set.get("status") or {}
        name = str(daemon_set["metadata"]["name"])
        key = view.key(KIND, name)
        misscheduled = int(status.get("numberMisscheduled") or 0)
        desired = int(status.get("desiredNumberScheduled") or 0)
        scheduled = int(status.get("currentNumberScheduled") or 0)
        if misscheduled:
            evidence = {"daemon_set": name, "misscheduled": str(misscheduled)}
            findings.append(Finding(key, PROBLEMS[0], evidence, "warning"))
        if scheduled < desired:
            evidence = {"daemon_set": name, "desired": str(desired), "scheduled": str(scheduled)}
            findings.append(Finding(key, PROBLEMS[1], evidence, "critical"))
    return findings
