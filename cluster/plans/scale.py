"""ScaleReplicas: set spec.replicas within the configured bounds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cluster.errors import PlanError
from cluster.plans.base import Patch, RenderContext, refuse_unknown, require_int

__all__ = ["ScaleReplicas"]


@dataclass(frozen=True)
class ScaleReplicas:
    op: ClassVar[str] = "scale_replicas"
    changes_template: ClassVar[bool] = False

    replicas: int

    def __post_init__(self) -> None:
        require_int({"replicas": self.replicas}, "replicas", 0, 1000, optional=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScaleReplicas:
        refuse_unknown(data, {"replicas"}, cls.op)
        return cls(replicas=int(require_int(data, "replicas", 0, 1000, optional=False) or 0))

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "replicas": self.replicas}

    def render(self, context: RenderContext) -> Patch:
        low, high = context.limits.min_replicas, context.limits.max_replicas
        if not low <= self.replicas <= high:
            raise PlanError(f"replicas must be within [{low}, {high}], got {self.replicas}")
        return Patch("strategic", {"spec": {"replicas": self.replicas}})
