"""The doctor at ``cloudops serve`` start-up: every check once, in the background (start-up
never waits for it), each bounded by ``doctor.startup_timeout_seconds``; one log line per
check, and the results kept for ``/healthz?verbose=1`` (``services.doctor``)."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.app.parts import CapabilityParts
from bot.doctor.inputs import DoctorInput
from bot.doctor.result import to_json
from bot.doctor.runner import run_doctor
from bot.doctor.startup import log_check
from bot.services import Services

__all__ = ["doctor_capability"]


def doctor_capability(services: Services) -> CapabilityParts:
    tasks: list[asyncio.Task[None]] = []

    async def run() -> None:
        settings = services.settings
        extra: dict[str, Any] = {}
        if services.cluster is not None:
            extra["cluster"] = {"api_client": services.cluster.access.api_client}
        inputs = DoctorInput(settings, timeout=settings.doctor.startup_timeout_seconds, extra=extra)
        checks = await run_doctor(inputs)
        for check in checks:
            log_check(check)
        services.doctor = {"at": inputs.now.isoformat(), **to_json(checks)}

    def start() -> None:
        tasks.append(asyncio.create_task(run(), name="doctor"))

    def stop() -> None:
        for task in tasks:
            task.cancel()

    return CapabilityParts(start=start, stop=stop)
