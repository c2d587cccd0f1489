"""The buttons that propose plans for approval: ``diagnose`` (the /rca card),
``propose_fix`` (the /diagnose card) and ``propose_scaling`` (the forecast card).

Each names its workload in the button value; proposing reads (nothing changes until an
approver approves), so a viewer of the named namespace may click.
"""

from __future__ import annotations

from bot.access import Requires, Role
from bot.cards.notices import notice_card
from bot.context import ActionContext
from bot.registry import Registry
from cluster import ClusterError, FixPlan, PlanError, Target
from cluster.plans import ScaleReplicas
from skills.arguments import NAME
from skills.cluster_access import plan_limits, require_access
from skills.cluster_failures import cluster_failure_card
from skills.namespaces import button_scope
from skills.plan_offer import offer_plan
from skills.plan_proposal import propose_for

__all__ = ["register", "propose_from_button", "propose_scaling"]


def _names(ctx: ActionContext) -> tuple[str, str] | None:
    namespace, deployment = ctx.value.get("namespace"), ctx.value.get("deployment")
    if not all(isinstance(v, str) and NAME.match(v) for v in (namespace, deployment)):
        return None
    return str(namespace), str(deployment)


async def _bad_button(ctx: ActionContext) -> None:
    await ctx.send(
        notice_card(ctx.t("fix.refused.title"), ctx.t("fix.refused.bad_button"), "error")
    )


async def propose_from_button(ctx: ActionContext) -> None:
    names = _names(ctx)
    if names is None:
        await _bad_button(ctx)
        return
    await propose_for(ctx, *names)


async def propose_scaling(ctx: ActionContext) -> None:
    names, replicas = _names(ctx), ctx.value.get("replicas")
    if names is None or isinstance(replicas, bool) or not isinstance(replicas, int):
        await _bad_button(ctx)
        return
    access = require_access(ctx)
    try:
        live = await access.deployment(*names)
        plan = FixPlan(Target.of(live), (ScaleReplicas(replicas),), "forecast_scaling")
        rendered = plan.render(live, (), plan_limits(ctx.settings))
    except ClusterError as error:
        await ctx.send(cluster_failure_card(ctx, error, names[1]))
        return
    except PlanError as error:
        text = ctx.t("fix.refused.scale", detail=str(error))
        await ctx.send(notice_card(ctx.t("fix.refused.title"), text, "warning"))
        return
    await offer_plan(ctx, plan, rendered, kind="scale")


def register(registry: Registry) -> None:
    proposes = Requires(Role.viewer, scope=button_scope)
    registry.action("diagnose", requires=proposes)(propose_from_button)
    registry.action("propose_fix", requires=proposes)(propose_from_button)
    registry.action("propose_scaling", requires=proposes)(propose_scaling)
