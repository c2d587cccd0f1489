"""The doctor's log line per check, for the run at ``cloudops serve`` start-up
(``bot.app.doctor``)."""

from __future__ import annotations

import structlog

from bot.doctor.result import Check

__all__ = ["log_check"]

log = structlog.get_logger(__name__)
_LEVEL = {"ok": "info", "warn": "warning", "fail": "error"}


def log_check(check: Check) -> None:
    emit = getattr(log, _LEVEL[check.status])
    fix = {"fix": check.fix.splitlines()[0]} if check.fix and check.status != "ok" else {}
    emit("doctor_check", check=check.name, status=check.status, detail=check.detail, **fix)
