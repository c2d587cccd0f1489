"""Proposing a fix: diagnose a workload, offer the rules' combined plan (or say there is
none), then, with an LLM configured, let the agents propose one more.

An agent's plan is offered the same way, and only for the workload the user asked about:
a plan for anything else is dropped and audited. Proposing reads; nothing changes until
an approver approves.
"""

from __future__ import annotations

from typing import Any

from agents import AgentFailed
from bot.cards.fix import FindingText, no_fix_card
from bot.cards.notices import notice_card, working_card
from bot.texts.cluster import finding_texts
from cluster import (
    ClusterAccess,
    ClusterError,
    Diagnosis,
    FixPlan,
    PlanError,
    PlanLimits,
    RenderedPlan,
    diagnose_deployment,
    preview_plan,
)
from cluster.diagnose import diagnose_workload
from cluster.object_fix import OBJECT_KINDS, propose_object_fix
from cluster.targets import parse_target
from skills.cluster_access import plan_limits, require_access
from skills.cluster_failures import cluster_failure_card
from skills.narrative import failure_note
from skills.plan_offer import AnyContext, offer_plan, post

__all__ = ["FIXABLE", "workload_of", "combined_plan", "propose_for"]

FIXABLE = ("Deployment", "StatefulSet", "DaemonSet", *OBJECT_KINDS)


def workload_of(label: str) -> tuple[str, str]:
    """``web`` → (Deployment, web); ``sts/db`` or ``StatefulSet/db`` → (StatefulSet, db)."""
    if "/" in label and label.split("/", 1)[0] in FIXABLE:
        kind, name = label.split("/", 1)
        return kind, name
    return parse_target(label)


def combined_plan(diagnosis: Diagnosis, limits: PlanLimits) -> tuple[FixPlan, RenderedPlan] | None:
    """Every rule's plan merged into one, worst finding first; plans that do not combine
    (or no longer render) are left out."""
    snapshot = diagnosis.snapshot
    if snapshot is None:
        return None
    chosen: tuple[FixPlan, RenderedPlan] | None = None
    for plan in diagnosis.plans:
        try:
            candidate = plan if chosen is None else chosen[0].merged(plan)
            chosen = (
                candidate,
                candidate.render(snapshot.deployment, snapshot.replica_sets, limits),
            )
        except PlanError:
            continue
    return chosen


async def propose_for(
    ctx: AnyContext, namespace: str, deployment: str, *, message_id: str | None = None
) -> None:
    """Diagnose ``deployment``, offer the rules' combined plan (or say there is none),
    then let the agents propose one more when an LLM is configured."""
    access = require_access(ctx)
    title = ctx.t("fix.title", namespace=namespace, deployment=deployment)
    text = ctx.t("fix.working", namespace=namespace, deployment=deployment)
    message_id = await ctx.working(working_card(ctx.lang, title, text), message_id=message_id or "")
    kind, name = workload_of(deployment)
    limits = plan_limits(ctx.settings)
    try:
        if kind in OBJECT_KINDS:  # CronJob, Job, Node, Service: at most one obvious plan
            fix = await propose_object_fix(access, namespace, kind, name)
            diagnosis, chosen = fix.diagnosis, fix.chosen
        else:
            if kind == "Deployment":
                diagnosis = await diagnose_deployment(access, namespace, name)
            else:
                diagnosis = await diagnose_workload(access, namespace, kind, name)
            chosen = combined_plan(diagnosis, limits)
    except ClusterError as error:
        await ctx.patch(message_id, cluster_failure_card(ctx, error, deployment))
        return
    ctx.services.outages.recovered("Kubernetes")
    findings = finding_texts(diagnosis.findings, ctx.lang)
    if chosen is None:
        await ctx.patch(message_id, no_fix_card(namespace, deployment, findings, ctx.lang))
    else:
        plan, rendered = chosen
        await offer_plan(ctx, plan, rendered, kind="fix", message_id=message_id, findings=findings)
    agents = ctx.services.agents
    enabled = agents is not None and agents.status == "enabled" and kind == "Deployment"
    if enabled and not diagnosis.healthy:
        await _agent_plan(ctx, agents, access, diagnosis, namespace, deployment, findings)


async def _agent_plan(
    ctx: AnyContext,
    agents: Any,
    access: ClusterAccess,
    diagnosis: Diagnosis,
    namespace: str,
    deployment: str,
    findings: tuple[FindingText, ...],
) -> None:
    limits = plan_limits(ctx.settings)

    async def sink(plan: FixPlan, rationale: str) -> str:
        await _pinned(ctx, plan, namespace, deployment)
        rendered = await preview_plan(access, plan, limits=limits)
        return await offer_plan(
            ctx, plan, rendered, kind="fix", findings=findings, rationale=rationale
        )

    try:
        await agents.propose_fix(
            diagnosis.to_dict(),
            namespace=namespace,
            deployment=deployment,
            plan_sink=sink,
            lang=ctx.lang,
        )
    except AgentFailed as error:
        title = ctx.t("fix.title", namespace=namespace, deployment=deployment)
        await post(ctx)(notice_card(title, failure_note(error, ctx.lang), "warning"))


async def _pinned(ctx: AnyContext, plan: FixPlan, namespace: str, deployment: str) -> None:
    """An agent's plan must target the deployment the request named; anything else is
    dropped (audited, and the agent is told)."""
    target = plan.target
    if (target.namespace, target.deployment) == (namespace, deployment):
        return
    await ctx.services.store.audit.record(
        actor=ctx.user_open_id,
        chat_id=ctx.chat_id,
        action="propose_fix",
        result="off_target",
        payload_hash=plan.content_hash,
        detail=f"asked {namespace}/{deployment}, agent proposed "
        f"{target.namespace}/{target.deployment}",
    )
    raise PlanError(f"a plan may only target Deployment {namespace}/{deployment}")
