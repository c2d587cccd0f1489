"""One-field switches on objects beyond workloads, each with its Undo: resume a suspended
CronJob (Undo: suspend it again) and uncordon a Node (Undo: cordon it again).

The bot proposes them from its own findings only (``trusted_only``): JSON from an LLM may
not carry them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from cluster.errors import PlanError
from cluster.plans.base import Patch, RenderContext, refuse_unknown

__all__ = ["ResumeCronJob", "SuspendCronJob", "UncordonNode", "CordonNode", "SWITCHES"]


def _switch(context: RenderContext, field: str, value: bool, noun: str) -> Patch:
    current = bool((context.deployment.get("spec") or {}).get(field))
    if current == value:
        state = "already" if value else "not"
        raise PlanError(f"the {noun} is {state} {field}: nothing to change")
    return Patch("strategic", {"spec": {field: value}})


@dataclass(frozen=True)
class _Switch:
    """Sets ``spec.<field>`` of a ``kinds[0]`` to ``value``; it has no fields of its own."""

    op: ClassVar[str]
    kinds: ClassVar[tuple[str, ...]]
    field: ClassVar[str]
    value: ClassVar[bool]
    changes_template: ClassVar[bool] = False
    trusted_only: ClassVar[bool] = True

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        refuse_unknown(data, set(), cls.op)
        return cls()

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op}

    def render(self, context: RenderContext) -> Patch:
        return _switch(context, self.field, self.value, self.kinds[0])


@dataclass(frozen=True)
class ResumeCronJob(_Switch):
    op: ClassVar[str] = "resume_cronjob"
    kinds: ClassVar[tuple[str, ...]] = ("CronJob",)
    field: ClassVar[str] = "suspend"
    value: ClassVar[bool] = False


@dataclass(frozen=True)
class SuspendCronJob(_Switch):
    op: ClassVar[str] = "suspend_cronjob"
    kinds: ClassVar[tuple[str, ...]] = ("CronJob",)
    field: ClassVar[str] = "suspend"
    value: ClassVar[bool] = True


@dataclass(frozen=True)
class UncordonNode(_Switch):
    op: ClassVar[str] = "uncordon_node"
    kinds: ClassVar[tuple[str, ...]] = ("Node",)
    field: ClassVar[str] = "unschedulable"
    value: ClassVar[bool] = False


@dataclass(frozen=True)
class CordonNode(_Switch):
    op: ClassVar[str] = "cordon_node"
    kinds: ClassVar[tuple[str, ...]] = ("Node",)
    field: ClassVar[str] = "unschedulable"
    value: ClassVar[bool] = True


SWITCHES = (ResumeCronJob, SuspendCronJob, UncordonNode, CordonNode)
