"""HorizontalPodAutoscalers: a scale target that does not exist, metrics it cannot read,
and an autoscaler pinned at maxReplicas."""

from __future__ import annotations

from cluster.finding import Finding
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "HorizontalPodAutoscaler"
PROBLEMS = ("hpa_target_missing", "hpa_metrics_unavailable", "hpa_at_max")
_METRIC_REASONS = (
    "FailedGetResourceMetric",
    "FailedGetPodsMetric",
    "FailedGetObjectMetric",
    "FailedGetExternalMetric",
    "FailedGetContainerResourceMetric",
    "InvalidMetricSourceType",
)


def _condition(hpa: Json, kind: str) -> Json:
    conditions = (hpa.get("status") or {}).get("conditions") or []
    return next((c for c in conditions if c.get("type") == kind), {})


def _targets(view: NamespaceView) -> set[tuple[str, str]]:
    return {(kind, str(w["metadata"]["name"])) for kind, w in view.workloads()}


def check(view: NamespaceView) -> list[Finding]:
    targets = _targets(view)
    findings: list[Finding] = []
    for hpa in view.hpas:
        name = str(hpa["metadata"]["name"])
        key = view.key(KIND, name)
        spec, status = hpa.get("spec") or {}, hpa.get("status") or {}
        ref = spec.get("scaleTargetRef") or {}
        target = f"{ref.get('kind')}/{ref.get('name')}"
        if (str(ref.get("kind")), str(ref.get("name"))) not in targets:
            evidence = {"hpa": name, "target": target}
            findings.append(Finding(key, PROBLEMS[0], evidence, "critical"))
            continue
        active = _condition(hpa, "ScalingActive")
        if active.get("status") == "False" and active.get("reason") in _METRIC_REASONS:
            evidence = {
                "hpa": name,
                "target": target,
                "reason": str(active.get("reason")),
                "message": str(active.get("message", "")),
            }
            findings.append(Finding(key, PROBLEMS[1], evidence, "warning"))
        maximum = int(spec.get("maxReplicas") or 0)
        current = int(status.get("currentReplicas") or 0)
        desired = int(status.get("desiredReplicas") or 0)
        limited = _condition(hpa, "ScalingLimited")
        pinned = limited.get("status") == "True" and limited.get("reason") == "TooManyReplicas"
        if maximum and current >= maximum and (pinned or desired >= maximum):
            evidence = {"hpa": name, "target": target, "max": str(maximum)}
            evidence["current"] = str(current)
            findings.append(Finding(key, PROBLEMS[2], evidence, "warning"))
    return findings
