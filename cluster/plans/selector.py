"""SetServiceSelector: point a Service at the pods it evidently meant (its Undo sets the
old selector back). Only the bot proposes it, from a finding where exactly one workload's
pod labels differ from the selector by one value (``trusted_only``): an LLM may not
redirect a Service's traffic."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from cluster.errors import PlanError
from cluster.plans.base import Patch, RenderContext, refuse_unknown

__all__ = ["SetServiceSelector"]

_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_LABEL_KEY = re.compile(r"^([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")


def _check(selector: Any) -> dict[str, str]:
    if not isinstance(selector, dict) or not selector:
        raise PlanError("set_service_selector.selector must be a non-empty object")
    for key, value in selector.items():
        if not isinstance(key, str) or not _LABEL_KEY.match(key):
            raise PlanError(f"set_service_selector: {key!r} is not a label key")
        if not isinstance(value, str) or len(value) > 63 or not _LABEL_VALUE.match(value):
            raise PlanError(f"set_service_selector: {value!r} is not a label value")
    return dict(selector)


@dataclass(frozen=True)
class SetServiceSelector:
    """``selector`` is the whole selector the Service gets; the patch names only the terms
    that change (a removed term is set to null)."""

    op: ClassVar[str] = "set_service_selector"
    kinds: ClassVar[tuple[str, ...]] = ("Service",)
    changes_template: ClassVar[bool] = False
    trusted_only: ClassVar[bool] = True

    selector: dict[str, str] = field(compare=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "selector", _check(self.selector))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SetServiceSelector:
        refuse_unknown(data, {"selector"}, cls.op)
        return cls(_check(data.get("selector")))

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "selector": dict(self.selector)}

    def render(self, context: RenderContext) -> Patch:
        spec = context.deployment.get("spec") or {}
        if spec.get("type") == "ExternalName":
            raise PlanError("an ExternalName Service has no selector")
        current: dict[str, str] = dict(spec.get("selector") or {})
        if current == self.selector:
            raise PlanError("the Service already has this selector: nothing to change")
        change: dict[str, str | None] = {
            key: value for key, value in self.selector.items() if current.get(key) != value
        }
        change.update({key: None for key in current if key not in self.selector})
        return Patch("strategic", {"spec": {"selector": change}})
