"""HorizontalPodAutoscaler controller for CPU utilisation targets: reads the scale target,
its pods' metrics and CPU requests, sets status conditions as the real controller words
them and computes the desired count within [minReplicas, maxReplicas]. It does not resize
the target: worlds keep the replica counts their tests set (and the demo stays as it was)."""

from __future__ import annotations

import math
from typing import Any

from cluster.quantity import parse_cpu
from cluster.selectors import selector_matches
from sandbox.cluster.metrics import pod_metrics
from sandbox.cluster.world import Obj, World

__all__ = ["reconcile_autoscalers"]

_PLURALS = {"Deployment": "deployments", "StatefulSet": "statefulsets"}


def _condition(kind: str, ok: bool, reason: str, message: str, now: str) -> dict[str, Any]:
    status = "True" if ok else "False"
    return {
        "type": kind,
        "status": status,
        "reason": reason,
        "message": message,
        "lastTransitionTime": now,
    }


def _target_percent(hpa: Obj) -> int | None:
    """The CPU utilisation target; autoscaling/v2 defaults to 80% when no metric is set."""
    if not hpa["spec"].get("metrics"):
        return 80
    for metric in hpa["spec"].get("metrics") or []:
        resource = metric.get("resource") or {}
        if metric.get("type") == "Resource" and resource.get("name") == "cpu":
            return int((resource.get("target") or {}).get("averageUtilization", 80))
    return None


def _utilisation(world: World, target: Obj) -> tuple[int | None, str]:
    """(average CPU utilisation % of requests, why it is unknown)."""
    namespace = target["metadata"]["namespace"]
    selector = target["spec"].get("selector")
    pods = [
        p
        for p in world.items("pods", namespace)
        if selector_matches(selector, p["metadata"].get("labels") or {})
    ]
    usage = {m["metadata"]["name"]: m for m in pod_metrics(world, namespace)}
    used = requested = 0.0
    for pod in pods:
        for container in pod["spec"]["containers"]:
            request = ((container.get("resources") or {}).get("requests") or {}).get("cpu")
            if request is None:
                return (
                    None,
                    f"missing request for cpu in container {container['name']} "
                    f"of Pod {pod['metadata']['name']}",
                )
            requested += parse_cpu(request)
        metrics = usage.get(pod["metadata"]["name"])
        if metrics is None:
            return (
                None,
                "unable to get metrics for resource cpu: "
                "no metrics returned from resource metrics API",
            )
        used += sum(parse_cpu(c["usage"]["cpu"]) for c in metrics["containers"])
    if not pods or requested <= 0:
        return None, "unable to get metrics for resource cpu: no pods"
    return round(100 * used / requested), ""


def _autoscale(world: World, hpa: Obj) -> None:
    spec, now = hpa["spec"], world.now()
    ref = spec.get("scaleTargetRef") or {}
    plural = _PLURALS.get(str(ref.get("kind")))
    target = (
        world.get(plural, hpa["metadata"]["namespace"], str(ref.get("name"))) if plural else None
    )
    status: dict[str, Any] = {"currentReplicas": 0, "desiredReplicas": 0}
    if target is None:
        kind = str(ref.get("kind")).lower()
        message = (
            "the HPA controller was unable to get the target's current scale: "
            f'{kind}s "{ref.get("name")}" not found'
        )
        status["conditions"] = [_condition("AbleToScale", False, "FailedGetScale", message, now)]
        world.event(hpa, "FailedGetScale", message, warning=True)
        world.set_field(hpa, "status", status)
        return
    current = int(target["spec"].get("replicas", 1))
    status.update(currentReplicas=current, desiredReplicas=current)
    conditions = [
        _condition(
            "AbleToScale",
            True,
            "SucceededGetScale",
            "the HPA controller was able to get the target's current scale",
            now,
        )
    ]
    percent = _target_percent(hpa)
    used, why = _utilisation(world, target) if percent else (None, "no CPU utilisation target")
    if used is None or percent is None:
        conditions.append(
            _condition(
                "ScalingActive",
                False,
                "FailedGetResourceMetric",
                f"the HPA was unable to compute the replica count: {why}",
                now,
            )
        )
        world.event(hpa, "FailedGetResourceMetric", why, warning=True)
    else:
        low, high = int(spec.get("minReplicas", 1)), int(spec["maxReplicas"])
        wanted = max(1, math.ceil(current * used / percent))
        desired = min(max(wanted, low), high)
        status["desiredReplicas"] = desired
        status["currentMetrics"] = [
            {
                "type": "Resource",
                "resource": {"name": "cpu", "current": {"averageUtilization": used}},
            }
        ]
        conditions.append(
            _condition(
                "ScalingActive",
                True,
                "ValidMetricFound",
                "the HPA was able to successfully calculate a replica count from cpu resource "
                "utilization (percentage of request)",
                now,
            )
        )
        limited = wanted > high
        reason = "TooManyReplicas" if limited else "DesiredWithinRange"
        message = (
            "the desired replica count is more than the maximum replica count"
            if limited
            else "the desired count is within the acceptable range"
        )
        conditions.append(_condition("ScalingLimited", limited, reason, message, now))
    status["conditions"] = conditions
    world.set_field(hpa, "status", status)


def reconcile_autoscalers(world: World) -> None:
    for hpa in world.items("horizontalpodautoscalers"):
        _autoscale(world, hpa)
