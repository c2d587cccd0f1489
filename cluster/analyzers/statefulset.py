"""StatefulSets stuck on an ordinal: pods start in order, so one pod that never becomes
ready holds back every pod after it. (Container checks are the workload rules, run on the
StatefulSet's pod template by ``cluster.survey``.)"""

from __future__ import annotations

import re

from cluster.finding import Finding
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "StatefulSet"
PROBLEMS = ("statefulset_stuck", "statefulset_service_missing", "statefulset_storage_class_missing")


def _ready(pod: Json) -> bool:
    conditions = (pod.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def _why(pod: Json | None) -> str:
    if pod is None:
        return "not created"
    status = pod.get("status") or {}
    for container in status.get("containerStatuses") or []:
        waiting = (container.get("state") or {}).get("waiting")
        if waiting:
            return str(waiting.get("reason", "Waiting"))
    for condition in status.get("conditions") or []:
        if condition.get("status") == "False" and condition.get("reason"):
            return str(condition["reason"])
    return str(status.get("phase", "Pending"))


def _wiring(view: NamespaceView, sts: Json) -> list[Finding]:
    """The governing Service it names, and the StorageClasses of its claim templates."""
    spec = sts.get("spec") or {}
    name = str(sts["metadata"]["name"])
    key = view.key(KIND, name)
    findings: list[Finding] = []
    service = spec.get("serviceName")
    if service and view.find("Service", str(service)) is None:
        evidence = {"stateful_set": name, "service": str(service)}
        findings.append(Finding(key, PROBLEMS[1], evidence, "warning"))
    classes = {str(c["metadata"]["name"]) for c in view.storage_classes}
    for template in spec.get("volumeClaimTemplates") or []:
        wanted = (template.get("spec") or {}).get("storageClassName")
        if wanted and classes and wanted not in classes:
            claim = str((template.get("metadata") or {}).get("name", ""))
            evidence = {"stateful_set": name, "claim": claim, "storage_class": str(wanted)}
            findings.append(Finding(key, PROBLEMS[2], evidence, "critical"))
    return findings


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for sts in view.stateful_sets:
        findings += _wiring(view, sts)
        spec = sts.get("spec") or {}
        if spec.get("podManagementPolicy") == "Parallel":
            continue  # no ordering, nothing to be stuck behind
        name = str(sts["metadata"]["name"])
        replicas = int(spec.get("replicas", 1))
        pattern = re.compile(rf"^{re.escape(name)}-(\d+)$")
        by_ordinal: dict[int, Json] = {}
        for pod in view.pods:
            match = pattern.match(str(pod["metadata"]["name"]))
            if match and view.owner_key(pod) == view.key(KIND, name):
                by_ordinal[int(match.group(1))] = pod
        blocking = next((i for i in range(replicas) if not _ready(by_ordinal.get(i, {}))), None)
        # Stuck means pods wait behind it; the last ordinal alone is just "unavailable".
        if blocking is None or blocking == replicas - 1:
            continue
        blocked = by_ordinal.get(blocking)
        evidence = {
            "ordinal": str(blocking),
            "pod": f"{name}-{blocking}",
            "reason": _why(blocked),
            "replicas": str(replicas),
            "ready": str((sts.get("status") or {}).get("readyReplicas") or 0),
            "waiting": str(replicas - blocking - 1),
        }
        findings.append(Finding(view.key(KIND, name), PROBLEMS[0], evidence, "critical"))
    return findings
