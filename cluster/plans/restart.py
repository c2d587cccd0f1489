"""RolloutRestart: what ``kubectl rollout restart`` does (a template annotation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from cluster.errors import PlanError
from cluster.plans.base import Patch, RenderContext, refuse_unknown, require_str

__all__ = ["RolloutRestart", "RESTARTED_AT"]

RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class RolloutRestart:
    """``restarted_at`` is fixed when proposed, so the plan's hash never drifts."""

    op: ClassVar[str] = "rollout_restart"
    changes_template: ClassVar[bool] = True

    restarted_at: str = field(default_factory=_now)

    def __post_init__(self) -> None:
        try:
            datetime.strptime(self.restarted_at, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError as error:
            raise PlanError(f"restarted_at must look like 2025-01-31T12:00:00Z: {error}") from error

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RolloutRestart:
        refuse_unknown(data, {"restarted_at"}, cls.op)
        stamp = require_str(data, "restarted_at", optional=True)
        return cls() if stamp is None else cls(restarted_at=stamp)

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "restarted_at": self.restarted_at}

    def render(self, context: RenderContext) -> Patch:
        annotations = {RESTARTED_AT: self.restarted_at}
        return Patch(
            "strategic", {"spec": {"template": {"metadata": {"annotations": annotations}}}}
        )
