"""The doctor at ``cloudops serve`` start-up: every check once, in the background (start-up
never waits for it), each bounded by ``doctor.startup_timeout_seconds``; one log line per
check, and the results kept for ``/healthz?verbose=1``."""

from __future__ import annotations

import asyncio
from typing import Any

import structlog

from bot.app import CapabilityParts
from bot.doctor.inputs import DoctorInput
from bot.doctor.result import Check, to_json
from bot.doctor.runner import run_doctor
from bot.services import Services

__all__ = ["doctor_capability", "log_check"]

log = structlog.get_logger(__name__)
_LEVEL = {"ok": "info", "warn": "warning", "fail": "error"}


def log_check(check: Check) -> None:
    emit = getattr(log, _LEVEL[check.status])
    fix = {"fix": check.fix.splitlines()[0]} if check.fix and check.status != "ok" else {}
    emit("doctor_check", check=check.name, status=check.status, detail=check.detail, **fix)


def doctor_capability(services: Services) -> CapabilityParts:
    tasks: list[asyncio.Task[None]] = []

    async def run() -> None:
        settings = services.settings
        extra: dict[str, Any] = {}
        access = getattr(services.cluster, "access", None)
        if access is not None:
            extra["cluster"] = {"api_client": access.api_client}
        inputs = DoctorInput(settings, timeout=settings.doctor.startup_timeout_seconds, extra=extra)
        checks = await run_doctor(inputs)
        for check in checks:
            log_check(check)
        services.extras["doctor"] = {"at": inputs.now.isoformat(), **to_json(checks)}

    def start() -> None:
        tasks.append(asyncio.create_task(run(), name="doctor"))

    def stop() -> None:
        for task in tasks:
            task.cancel()

    return CapabilityParts(start=start, stop=stop)
