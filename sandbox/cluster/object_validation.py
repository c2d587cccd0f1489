"""The API server's validation of CronJobs, Jobs, Nodes and Services, enough to reject
what a bad patch or a bad new Job produces."""

from __future__ import annotations

import re
from typing import Any

from sandbox.cluster.validation import Cause

__all__ = ["validate_object"]

_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def _invalid(field: str, value: Any, detail: str) -> Cause:
    return {
        "reason": "FieldValueInvalid",
        "field": field,
        "message": f"Invalid value: {value!r}: {detail}",
    }


def _flag(spec: dict[str, Any], key: str) -> list[Cause]:
    value = spec.get(key)
    if value is None or isinstance(value, bool):
        return []
    return [_invalid(f"spec.{key}", value, "must be a boolean")]


def _service(spec: dict[str, Any]) -> list[Cause]:
    causes: list[Cause] = []
    for key, value in (spec.get("selector") or {}).items():
        if not isinstance(value, str) or len(value) > 63 or not _LABEL_VALUE.match(value):
            causes.append(_invalid(f"spec.selector.{key}", value, "a valid label value"))
    return causes


def _job(new: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    spec = new.get("spec") or {}
    name = str(new["metadata"].get("name") or "")
    causes = _flag(spec, "suspend")
    if not _NAME.match(name) or len(name) > 63:
        causes.append(_invalid("metadata.name", name, "must be a DNS-1123 label of 63 at most"))
    template = spec.get("template") or {}
    pod = template.get("spec") or {}
    if not pod.get("containers"):
        causes.append(_invalid("spec.template.spec.containers", [], "Required value"))
    policy = pod.get("restartPolicy")
    if policy not in ("Never", "OnFailure"):
        causes.append(_invalid("spec.template.spec.restartPolicy", policy, "Never or OnFailure"))
    if old is not None:
        running = not (old.get("spec") or {}).get("suspend")
        if running and template != (old.get("spec") or {}).get("template"):
            causes.append(_invalid("spec.template", "…", "field is immutable"))
        if spec.get("selector") != (old.get("spec") or {}).get("selector"):
            causes.append(_invalid("spec.selector", spec.get("selector"), "field is immutable"))
    return causes


def validate_object(new: dict[str, Any], old: dict[str, Any] | None) -> list[Cause]:
    """Causes for a CronJob, Job, Node or Service (``old``: the stored one, on a patch)."""
    spec = new.get("spec") or {}
    kind = new.get("kind")
    if kind == "CronJob":
        return _flag(spec, "suspend")
    if kind == "Node":
        return _flag(spec, "unschedulable")
    if kind == "Service":
        return _service(spec)
    if kind == "Job":
        return _job(new, old)
    return []
