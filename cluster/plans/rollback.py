"""RollbackToPrevious: restore the pod template a previous revision's ReplicaSet holds.

Only a template the cluster already ran can come back: the operation names a revision,
never a template, so it cannot smuggle in a new image. ``template_sha256`` pins the
exact template (Undo uses it to restore precisely the spec it saved).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, ClassVar

from cluster.errors import PlanError
from cluster.plans.base import Patch, RenderContext, refuse_unknown, require_int, require_str

__all__ = ["RollbackToPrevious", "template_digest", "revision_of", "REVISION"]

REVISION = "deployment.kubernetes.io/revision"
_HASH_LABEL = "pod-template-hash"


def revision_of(obj: dict[str, Any]) -> int:
    return int((obj.get("metadata") or {}).get("annotations", {}).get(REVISION, "0") or 0)


def bare_template(template: dict[str, Any]) -> dict[str, Any]:
    """A ReplicaSet's template without the label the controller added."""
    bare = json.loads(json.dumps(template))
    labels = bare.get("metadata", {}).get("labels", {})
    labels.pop(_HASH_LABEL, None)
    return bare


def template_digest(template: dict[str, Any]) -> str:
    canonical = json.dumps(bare_template(template), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class RollbackToPrevious:
    op: ClassVar[str] = "rollback_to_previous"
    changes_template: ClassVar[bool] = True

    revision: int
    template_sha256: str | None = None

    def __post_init__(self) -> None:
        require_int({"revision": self.revision}, "revision", 1, 2**31, optional=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RollbackToPrevious:
        refuse_unknown(data, {"revision", "template_sha256"}, cls.op)
        revision = int(require_int(data, "revision", 1, 2**31, optional=False) or 0)
        return cls(revision, require_str(data, "template_sha256", optional=True))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op, "revision": self.revision}
        if self.template_sha256:
            out["template_sha256"] = self.template_sha256
        return out

    def render(self, context: RenderContext) -> Patch:
        if revision_of(context.deployment) == self.revision:
            raise PlanError(f"revision {self.revision} is the current one: nothing to roll back")
        source = next((rs for rs in context.replica_sets if revision_of(rs) == self.revision), None)
        if source is None:
            raise PlanError(f"no ReplicaSet holds revision {self.revision}")
        template = bare_template(source["spec"]["template"])
        if self.template_sha256 and template_digest(template) != self.template_sha256:
            raise PlanError(f"revision {self.revision} no longer holds the saved template")
        return Patch("json", [{"op": "replace", "path": "/spec/template", "value": template}])
