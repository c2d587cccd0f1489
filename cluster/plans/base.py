"""What every operation shares: rendered patches, limits, the render context, parsing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from cluster.errors import PlanError
from config.sections import FixesSettings

__all__ = [
    "Patch",
    "PlanLimits",
    "RenderContext",
    "find_container",
    "template_patch",
    "require_int",
    "require_str",
    "refuse_unknown",
    "STRATEGIC",
    "JSON_PATCH",
]

STRATEGIC = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"


@dataclass(frozen=True)
class Patch:
    """One request: a PATCH body (``strategic`` or ``json``), or for plans beyond workloads
    a ``create`` (the new object) or a ``delete`` (its DeleteOptions)."""

    kind: Literal["strategic", "json", "create", "delete"]
    body: Any

    @property
    def content_type(self) -> str:
        if self.kind in ("create", "delete"):
            return "application/json"
        return STRATEGIC if self.kind == "strategic" else JSON_PATCH


_FIXES = FixesSettings.default()  # defaults.yaml: fixes


@dataclass(frozen=True)
class PlanLimits:
    """Bounds an operation must respect (replicas from the bot's configuration)."""

    min_replicas: int = _FIXES.min_replicas
    max_replicas: int = _FIXES.max_replicas
    max_cpu_millicores: float = 16000.0
    max_memory_bytes: float = 64 * 2.0**30


@dataclass(frozen=True)
class RenderContext:
    """The live object (API JSON: a workload, or the CronJob, Job, Node or Service of a plan
    beyond workloads) and a Deployment's ReplicaSets, against which ops render."""

    deployment: dict[str, Any]
    replica_sets: tuple[dict[str, Any], ...] = field(default=())
    limits: PlanLimits = field(default_factory=PlanLimits)


def find_container(context: RenderContext, name: str) -> dict[str, Any]:
    containers = context.deployment["spec"]["template"]["spec"]["containers"]
    for container in containers:
        if container["name"] == name:
            return dict(container)
    names = ", ".join(c["name"] for c in containers)
    raise PlanError(f"deployment has no container {name!r} (it has: {names})")


def template_patch(container: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A strategic-merge patch touching one container of the pod template."""
    entry = {"name": container, **fields}
    return {"spec": {"template": {"spec": {"containers": [entry]}}}}


def require_int(
    data: dict[str, Any], key: str, low: int, high: int, *, optional: bool = True
) -> int | None:
    value = data.get(key)
    if value is None:
        if optional:
            return None
        raise PlanError(f"{key} is required")
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PlanError(f"{key} must be an integer in [{low}, {high}], got {value!r}")
    return value


def require_str(data: dict[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise PlanError(f"{key} must be a non-empty string, got {value!r}")
    return value


def refuse_unknown(data: dict[str, Any], allowed: set[str], op: str) -> None:
    unknown = sorted(set(data) - allowed - {"op"})
    if unknown:
        raise PlanError(f"{op}: unknown field(s) {', '.join(unknown)}")
