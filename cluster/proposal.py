"""Turn operations (e.g. JSON an LLM proposed) into a FixPlan pinned to the live deployment."""

from __future__ import annotations

from typing import Any

from cluster.access import ClusterAccess
from cluster.errors import PlanError
from cluster.plans import FixPlan, PlanLimits, RenderedPlan, Target, parse_operation

__all__ = ["propose_plan", "preview_plan"]


async def propose_plan(
    access: ClusterAccess,
    namespace: str,
    name: str,
    operations: list[dict[str, Any]],
    *,
    problem: str = "",
    limits: PlanLimits | None = None,
) -> tuple[FixPlan, RenderedPlan]:
    """Parse ``operations`` through the allow-list, pin them to the deployment as it is now,
    and render them (so a plan that cannot apply is refused here, with a PlanError)."""
    if not isinstance(operations, list):
        raise PlanError("operations must be a list")
    parsed = tuple(parse_operation(op) for op in operations)
    deployment = await access.deployment(namespace, name)
    plan = FixPlan(Target.of(deployment), parsed, problem)
    replica_sets = await access.replica_sets(namespace)
    return plan, plan.render(deployment, replica_sets, limits)


async def preview_plan(
    access: ClusterAccess, plan: FixPlan, *, limits: PlanLimits | None = None
) -> RenderedPlan:
    """The patches and diff ``plan`` would produce against the live deployment now."""
    target = plan.target
    live = await access.read(target.kind, target.namespace, target.deployment)
    has_sets = target.kind == "Deployment"
    replica_sets = await access.replica_sets(target.namespace) if has_sets else []
    return plan.render(live, replica_sets, limits)
