"""RestoreTemplate: Undo for a StatefulSet or DaemonSet, which keep no ReplicaSets to roll
back to: put back the pod template the bot saved just before its own change.

Only the bot builds it (``cluster.executor.undo``, from the stored ApplyResult); a plan
parsed from untrusted JSON (an LLM's) may not carry it, so it cannot smuggle in a new
template (``FixPlan.from_dict(trusted=False)`` refuses it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from cluster.errors import PlanError
from cluster.plans.base import Patch, RenderContext, refuse_unknown, require_str
from cluster.plans.rollback import template_digest

__all__ = ["RestoreTemplate"]


@dataclass(frozen=True)
class RestoreTemplate:
    op: ClassVar[str] = "restore_template"
    changes_template: ClassVar[bool] = True
    trusted_only: ClassVar[bool] = True

    template: dict[str, Any] = field(compare=True)
    template_sha256: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.template, dict) or "spec" not in self.template:
            raise PlanError("restore_template needs a pod template")
        digest = template_digest(self.template)
        if self.template_sha256 and self.template_sha256 != digest:
            raise PlanError("restore_template: the template does not match its digest")
        object.__setattr__(self, "template_sha256", digest)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RestoreTemplate:
        refuse_unknown(data, {"template", "template_sha256"}, cls.op)
        template = data.get("template")
        if not isinstance(template, dict):
            raise PlanError("restore_template.template must be an object")
        return cls(template, require_str(data, "template_sha256", optional=True) or "")

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "template": self.template, "template_sha256": self.template_sha256}

    def render(self, context: RenderContext) -> Patch:
        return Patch("json", [{"op": "replace", "path": "/spec/template", "value": self.template}])
