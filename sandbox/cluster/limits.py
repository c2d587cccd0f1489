"""LimitRange admission: a container whose request or limit is outside the namespace's
per-Container minimum/maximum is refused, in the LimitRanger plugin's words."""

from __future__ import annotations

from cluster.quantity import parse_cpu, parse_memory
from sandbox.cluster.world import Obj, World

__all__ = ["limit_refusal"]


def _parse(resource: str, value: str) -> float:
    return parse_cpu(value) if resource == "cpu" else parse_memory(value)


def limit_refusal(world: World, pod: Obj) -> str | None:
    name = pod["metadata"]["name"]
    for limit_range in world.items("limitranges", pod["metadata"]["namespace"]):
        for rule in limit_range["spec"].get("limits") or []:
            if rule.get("type", "Container") != "Container":
                continue
            for container in pod["spec"]["containers"]:
                resources = container.get("resources") or {}
                for resource, ceiling in (rule.get("max") or {}).items():
                    asked = (resources.get("limits") or {}).get(resource)
                    if asked is not None and _parse(resource, asked) > _parse(resource, ceiling):
                        return (
                            f'pods "{name}" is forbidden: maximum {resource} usage per Container '
                            f"is {ceiling}, but limit is {asked}"
                        )
                for resource, floor in (rule.get("min") or {}).items():
                    asked = (resources.get("requests") or {}).get(resource)
                    if asked is not None and _parse(resource, asked) < _parse(resource, floor):
                        return (
                            f'pods "{name}" is forbidden: minimum {resource} usage per Container '
                            f"is {floor}, but request is {asked}"
                        )
    return None
