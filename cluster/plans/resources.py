"""PatchResources: change one container's CPU/memory requests and limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from cluster.errors import PlanError
from cluster.plans.base import (
    Patch,
    RenderContext,
    find_container,
    refuse_unknown,
    require_str,
    template_patch,
)
from cluster.quantity import parse_cpu, parse_memory

__all__ = ["PatchResources"]

_RESOURCES = ("cpu", "memory")


def _amounts(section: str, values: Any) -> dict[str, str]:
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise PlanError(f"{section} must map cpu/memory to quantities, got {values!r}")
    unknown = sorted(set(values) - set(_RESOURCES))
    if unknown:
        raise PlanError(f"{section}: only cpu and memory may change, not {', '.join(unknown)}")
    for name, quantity in values.items():
        if not isinstance(quantity, str):
            raise PlanError(f"{section}.{name} must be a quantity string like '500m' or '256Mi'")
        parse = parse_cpu if name == "cpu" else parse_memory
        try:
            amount = parse(quantity)
        except ValueError as error:
            raise PlanError(f"{section}.{name}: {error}") from error
        if amount <= 0:
            raise PlanError(f"{section}.{name} must be positive, got {quantity!r}")
    return dict(sorted(values.items()))


@dataclass(frozen=True)
class PatchResources:
    op: ClassVar[str] = "patch_resources"
    changes_template: ClassVar[bool] = True

    container: str
    requests: dict[str, str] = field(default_factory=dict)
    limits: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "requests", _amounts("requests", self.requests))
        object.__setattr__(self, "limits", _amounts("limits", self.limits))
        if not self.requests and not self.limits:
            raise PlanError("patch_resources changes nothing: give requests or limits")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PatchResources:
        refuse_unknown(data, {"container", "requests", "limits"}, cls.op)
        return cls(
            container=str(require_str(data, "container")),
            requests=_amounts("requests", data.get("requests")),
            limits=_amounts("limits", data.get("limits")),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op, "container": self.container}
        out.update({k: v for k, v in (("requests", self.requests), ("limits", self.limits)) if v})
        return out

    def render(self, context: RenderContext) -> Patch:
        container = find_container(context, self.container)
        current = container.get("resources") or {}
        requests = {**(current.get("requests") or {}), **self.requests}
        limits = {**(current.get("limits") or {}), **self.limits}
        for name in _RESOURCES:
            parse = parse_cpu if name == "cpu" else parse_memory
            if name in requests and name in limits and parse(requests[name]) > parse(limits[name]):
                raise PlanError(
                    f"{self.container}: {name} request {requests[name]} would exceed "
                    f"its limit {limits[name]}"
                )
        bounds = context.limits
        for section in (self.requests, self.limits):
            if "cpu" in section and parse_cpu(section["cpu"]) > bounds.max_cpu_millicores:
                raise PlanError(f"cpu {section['cpu']} is above the allowed maximum")
            if "memory" in section and parse_memory(section["memory"]) > bounds.max_memory_bytes:
                raise PlanError(f"memory {section['memory']} is above the allowed maximum")
        change = {k: v for k, v in (("requests", self.requests), ("limits", self.limits)) if v}
        return Patch("strategic", template_patch(self.container, {"resources": change}))
