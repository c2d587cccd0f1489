"""Fixtures for agent tests: scripted models, recorded backends, plan sinks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from cluster.plans import FixPlan


class PlanStore:
    """A plan sink like the approvals store: keeps plans, returns ids, applies nothing."""

    def __init__(self) -> None:
        self.plans: dict[str, tuple[FixPlan, str]] = {}

    async def __call__(self, plan: FixPlan, rationale: str) -> str:
        plan_id = f"plan-{len(self.plans) + 1}"
        self.plans[plan_id] = (plan, rationale)
        return plan_id


@pytest.fixture
def plan_store() -> PlanStore:
    return PlanStore()


Sink = Callable[[FixPlan, str], Awaitable[str]]
Json = dict[str, Any]
