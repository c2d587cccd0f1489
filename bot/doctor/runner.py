"""Run every area's checks concurrently, each bounded by a timeout.

An area is ``async (DoctorInput) -> list[Check]``; one that raises or outlives its timeout
becomes a single failed check naming it, so one hung dependency never hides the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from bot.doctor.alertmanager import alertmanager_checks
from bot.doctor.approvals import approval_checks
from bot.doctor.bounded import bounded
from bot.doctor.feishu import feishu_checks
from bot.doctor.inputs import Area, DoctorInput
from bot.doctor.kubernetes import kubernetes_checks
from bot.doctor.llm import llm_checks
from bot.doctor.prometheus import prometheus_checks
from bot.doctor.result import Check
from bot.doctor.store import store_checks
from bot.doctor.websearch import websearch_checks

__all__ = ["run_doctor", "default_areas"]


def default_areas() -> dict[str, Area]:
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
