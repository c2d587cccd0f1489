"""Run every area's checks concurrently, each bounded by a timeout.

An area is ``async (DoctorInput) -> list[Check]``; one that raises or outlives its timeout
becomes a single failed check naming it, so one hung dependency never hides the others.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.doctor.result import Check
from config.settings import Settings

__all__ = ["Area", "DoctorInput", "bounded", "run_doctor", "default_areas"]


@dataclass(frozen=True)
class DoctorInput:
    settings: Settings
    timeout: float
    # Read only for the variables LLM fallbacks name (api_key_env); the rest is in settings.
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    extra: Mapping[str, Any] = field(default_factory=dict)  # e.g. a ready cluster client


Area = Callable[[DoctorInput], Awaitable[list[Check]]]


async def bounded(name: str, work: Awaitable[list[Check]], timeout: float) -> list[Check]:
    """``work``'s checks, or one failed check when it raises or takes over ``timeout``."""
    try:
        return await asyncio.wait_for(work, timeout)
    except TimeoutError:
        return [
            Check.fail(
                name,
                f"no answer within {timeout:g}s",
                f"check that {name.split('.')[0]} is reachable from this host",
            )
        ]
    except Exception as exc:  # a check must report, never crash the doctor
        detail = str(exc).splitlines()[0][:300] if str(exc) else ""
        return [Check.fail(name, f"{type(exc).__name__}: {detail}", "see the detail")]


def default_areas() -> dict[str, Area]:
    from bot.doctor.alertmanager import alertmanager_checks
    from bot.doctor.approvals import approval_checks
    from bot.doctor.feishu import feishu_checks
    from bot.doctor.kubernetes import kubernetes_checks
    from bot.doctor.llm import llm_checks
    from bot.doctor.prometheus import prometheus_checks
    from bot.doctor.store import store_checks
    from bot.doctor.websearch import websearch_checks

    return {
        "feishu": feishu_checks,
        "approvals": approval_checks,
        "prometheus": prometheus_checks,
        "kubernetes": kubernetes_checks,
        "store": store_checks,
        "llm": llm_checks,
        "alertmanager": alertmanager_checks,
        "websearch": websearch_checks,
    }


async def run_doctor(inputs: DoctorInput, areas: Mapping[str, Area] | None = None) -> list[Check]:
    """Every area at once; the checks come back in area order. An area gets twice the
    per-check timeout (it may make a few calls, each bounded by the timeout itself)."""
    chosen = default_areas() if areas is None else areas
    names: Sequence[str] = list(chosen)
    results = await asyncio.gather(
        *(bounded(name, chosen[name](inputs), 2 * inputs.timeout) for name in names)
    )
    return [check for checks in results for check in checks]
