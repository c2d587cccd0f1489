"""ResourceQuota admission and usage accounting for pods."""

from __future__ import annotations

from typing import Any

from cluster.quantity import format_cpu, format_memory, parse_cpu, parse_memory
from sandbox.cluster.limits import limit_refusal
from sandbox.cluster.world import Obj, World

__all__ = ["pod_totals", "quota_refusal", "refresh_quotas"]

_TRACKED = ("pods", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory")


def pod_totals(pod: Obj) -> dict[str, float]:
    totals = dict.fromkeys(_TRACKED, 0.0)
    totals["pods"] = 1.0
    for container in pod["spec"]["containers"]:
        resources = container.get("resources") or {}
        for section in ("requests", "limits"):
            values = resources.get(section) or {}
            if "cpu" in values:
                totals[f"{section}.cpu"] += parse_cpu(values["cpu"])
            if "memory" in values:
                totals[f"{section}.memory"] += parse_memory(values["memory"])
    return totals


def _used(world: World, namespace: str) -> dict[str, float]:
    used = dict.fromkeys(_TRACKED, 0.0)
    for pod in world.items("pods", namespace):
        if pod["status"].get("phase") in ("Failed", "Succeeded"):
            continue  # terminal pods no longer count against a quota
        for key, value in pod_totals(pod).items():
            used[key] += value
    return used


def _parse(key: str, value: Any) -> float:
    if key == "pods":
        return float(value)
    return parse_cpu(value) if key.endswith("cpu") else parse_memory(value)


def _format(key: str, value: float) -> str:
    if key == "pods":
        return str(int(value))
    return format_cpu(value) if key.endswith("cpu") else format_memory(value)


def quota_refusal(world: World, pod: Obj) -> str | None:
    """The API server's admission message if creating ``pod`` would exceed a quota (or a
    LimitRange refuses it: the LimitRanger plugin runs first)."""
    refused = limit_refusal(world, pod)
    if refused:
        return refused
    namespace = pod["metadata"]["namespace"]
    wanted = pod_totals(pod)
    used = _used(world, namespace)
    for quota in world.items("resourcequotas", namespace):
        hard = {k: v for k, v in (quota["spec"].get("hard") or {}).items() if k in _TRACKED}
        over = [k for k, v in hard.items() if used[k] + wanted[k] > _parse(k, v)]
        if over:
            requested = ",".join(f"{k}={_format(k, wanted[k])}" for k in over)
            current = ",".join(f"{k}={_format(k, used[k])}" for k in over)
            limited = ",".join(f"{k}={hard[k]}" for k in over)
            return (
                f'pods "{pod["metadata"]["name"]}" is forbidden: exceeded quota: '
                f"{quota['metadata']['name']}, requested: {requested}, used: {current}, "
                f"limited: {limited}"
            )
    return None


def refresh_quotas(world: World) -> None:
    for quota in world.items("resourcequotas"):
        used = _used(world, quota["metadata"]["namespace"])
        hard = quota["spec"].get("hard") or {}
        status = {
            "hard": dict(hard),
            "used": {k: _format(k, used[k]) for k in hard if k in _TRACKED},
        }
        world.set_field(quota, "status", status)
