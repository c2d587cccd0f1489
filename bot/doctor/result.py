"""The doctor's result type: one named check with a status, what it found and the fix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["Check", "Status", "exit_code", "to_json", "worst"]

Status = Literal["ok", "warn", "fail"]
_RANK = {"ok": 0, "warn": 1, "fail": 2}


@dataclass(frozen=True)
class Check:
    """``name`` is dotted (``feishu.scopes``, ``prometheus.signals.payments``); ``fix`` is
    the exact action (a command, a console step or a YAML block), empty when ok."""

    name: str
    status: Status
    detail: str
    fix: str = ""

    @classmethod
    def ok(cls, name: str, detail: str) -> Check:
        return cls(name, "ok", detail)

    @classmethod
    def warn(cls, name: str, detail: str, fix: str) -> Check:
        return cls(name, "warn", detail, fix)

    @classmethod
    def fail(cls, name: str, detail: str, fix: str) -> Check:
        return cls(name, "fail", detail, fix)


def worst(checks: Iterable[Check]) -> Status:
    found: Status = "ok"
    for check in checks:
        if _RANK[check.status] > _RANK[found]:
            found = check.status
    return found


def exit_code(checks: Iterable[Check]) -> int:
    """1 when any check failed, else 0 (warnings do not fail the command)."""
    return 1 if worst(checks) == "fail" else 0


def to_json(checks: Sequence[Check]) -> dict[str, Any]:
    return {"checks": [asdict(check) for check in checks]}
