"""``propose_fix_plan``: validate a plan against the allow-list and store it for approval.

It never applies anything: the plan goes to an injected sink (the approvals store), a
human approves it on a card, and ``cluster.executor`` runs the stored plan.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from agents.tools.backend import ToolBackend
from cluster.errors import PlanError
from cluster.plans import FixPlan, Target

__all__ = ["PlanSink", "PendingPlan", "plan_from_json"]

PlanSink = Callable[[FixPlan, str], Awaitable[str]]
"""Stores ``(plan, rationale)`` as a pending action and returns its id."""

_SHORT = {"namespace", "deployment", "operations", "problem"}


@dataclass(frozen=True)
class PendingPlan:
    plan_id: str
    plan: FixPlan
    rationale: str


async def plan_from_json(plan_json: str, backend: ToolBackend) -> FixPlan:
    """Parse, pin to the live deployment and render once; raise ValueError when refused.

    Accepts a full ``FixPlan`` dict or the short form
    ``{namespace, deployment, problem, operations}`` (the target is read live).
    """
    try:
        data: Any = json.loads(plan_json)
    except json.JSONDecodeError as error:
        raise ValueError(f"plan_json is not valid JSON: {error.msg}") from None
    if not isinstance(data, dict):
        raise ValueError("plan_json must be a JSON object")
    try:
        if "target" in data:
            plan = FixPlan.from_dict(data)
            namespace, name = plan.target.namespace, plan.target.deployment
        else:
            unknown = sorted(set(data) - _SHORT)
            if unknown:
                raise PlanError(f"plan: unknown field(s) {', '.join(unknown)}")
            namespace, name = str(data.get("namespace") or ""), str(data.get("deployment") or "")
            if not namespace or not name:
                raise PlanError("plan needs namespace and deployment")
        live = await backend.deployment(namespace, name)
        if "target" not in data:
            plan = FixPlan.from_dict(
                {
                    "target": Target.of(live).to_dict(),
                    "operations": data.get("operations"),
                    "problem": data.get("problem") or "",
                }
            )
        if not any(op.op == "rollback_to_previous" for op in plan.operations):
            plan.render(live)  # a rollback needs the ReplicaSets: the executor checks it
    except PlanError as error:
        raise ValueError(f"plan refused: {error}") from None
    return plan
