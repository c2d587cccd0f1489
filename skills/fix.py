"""/fix <deployment> [-n ns] and the buttons that propose plans for approval.

Buttons: ``diagnose`` (the /rca card), ``propose_fix`` (the /diagnose card) and
``propose_scaling`` (the forecast card). Every plan is stored as a pending action when
proposed (payload = the plan's JSON, hash = its content hash) and shown on an approval
card whose buttons carry the stored id only; ``skills.approval`` takes it from there.
With an LLM configured the agents may propose one more plan, stored the same way, and
only for the deployment the user asked about: a plan for anything else is dropped and
audited. Proposing reads (nothing changes until an approver approves): viewer role.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from agents import AgentFailed
from bot.access import ALL, Policy, Requires, Role, Scope
from bot.access.approvers import approvers_of
from bot.cards.card import Card
from bot.cards.clock import card_time
from bot.cards.fix import FindingText, PlanView, approval_card, no_fix_card
from bot.cards.notices import notice_card, working_card
from bot.context import ActionContext, Context
from bot.registry import Registry, Skill, UsageError
from bot.state import ActionRecord, Store
from bot.texts.cluster import finding_detail, finding_title, impact_text, operation_text
from cluster import (
    ClusterAccess,
    ClusterError,
    Diagnosis,
    Finding,
    FixPlan,
    PlanError,
    PlanLimits,
    RenderedPlan,
    Target,
    diagnose_deployment,
    preview_plan,
)
from cluster.diagnose import diagnose_workload
from cluster.plans import ScaleReplicas
from cluster.targets import parse_target
from skills.arguments import NAME, take_option
from skills.cluster_access import plan_limits, require_access
from skills.cluster_failures import cluster_failure_card
from skills.narrative import failure_note
from skills.rca import default_namespace

__all__ = [
    "FixRequest",
    "parse",
    "register",
    "propose_for",
    "offer_plan",
    "plan_view",
    "who",
    "button_scope",
]

AnyContext = Context | ActionContext
VIEW_KEY = "fix.view:{}"
# The card text of a plan is read when its buttons are clicked (until the plan expires
# after approvals.ttl_minutes, a day at most), by late clicks on an expired card and by
# the sweep of interrupted applies (approvals.interrupt_after_minutes after the approval,
# 15 by default, a day at most). A week past the plan's expiry covers them all; a click
# after that still works, its card shows the plan's ids only.
VIEW_KEEP_AFTER_EXPIRY = timedelta(days=7)


@dataclass(frozen=True)
class FixRequest:
    deployment: str  # a Deployment's name, or ``StatefulSet/db`` / ``DaemonSet/agent``
    namespace: str | None


FIXABLE = ("Deployment", "StatefulSet", "DaemonSet")


def workload_of(label: str) -> tuple[str, str]:
    """``web`` → (Deployment, web); ``sts/db`` or ``StatefulSet/db`` → (StatefulSet, db)."""
    if "/" in label and label.split("/", 1)[0] in FIXABLE:
        kind, name = label.split("/", 1)
        return kind, name
    return parse_target(label)


def parse(args: Sequence[str]) -> FixRequest:
    namespace, rest = take_option(args, "-n", "--namespace")
    if not rest:
        raise UsageError("usage.missing_argument", name="deployment")
    if len(rest) > 1:
        raise UsageError("usage.too_many_arguments", args=" ".join(rest[1:]))
    try:
        kind, name = workload_of(rest[0])
    except ValueError:
        kind, name = "", rest[0]
    if kind not in FIXABLE:
        raise UsageError("fix.bad_kind")
    if not NAME.match(name):
        raise UsageError("usage.bad_name", value=name)
    return FixRequest(name if kind == "Deployment" else f"{kind}/{name}", namespace)


def scope(req: FixRequest, ctx: Context) -> Scope:
    """The namespace named by -n (default: the deployment's in prometheus.services)."""
    return Scope(namespace=req.namespace or default_namespace(ctx.settings, req.deployment))


def button_scope(value: dict[str, Any], ctx: ActionContext) -> Scope:
    """The namespace the button names (naming none or a bad one: every namespace)."""
    namespace = value.get("namespace")
    valid = isinstance(namespace, str) and NAME.match(namespace)
    return Scope(namespace=str(namespace) if valid else ALL)


# -- shared by the approval flow ---------------------------------------------------------
def post(ctx: AnyContext) -> Callable[[Card], Awaitable[str]]:
    """Answer a message in place (its thread), or post a new message for a click."""
    return ctx.reply if isinstance(ctx, Context) else ctx.send


def who(open_id: str) -> str:
    return f"<at id={open_id}></at>" if open_id else "—"


def finding_texts(findings: Sequence[Finding], lang: str) -> tuple[FindingText, ...]:
    return tuple(
        FindingText(f.severity, finding_title(f, lang), finding_detail(f, lang)) for f in findings
    )


async def plan_view(store: Store, record: ActionRecord) -> PlanView:
    """The plan as its cards show it: as stored when proposed, or its ids only."""
    raw = await store.kv.get(VIEW_KEY.format(record.id))
    if raw is None:
        return PlanView(record.id, record.kind, record.namespace, record.target, (), ())
    data = json.loads(raw)
    data["findings"] = tuple(FindingText(**f) for f in data["findings"])
    for name in ("operations", "diff", "approvers"):
        data[name] = tuple(data.get(name) or ())
    return PlanView(**data)


async def offer_plan(
    ctx: AnyContext,
    plan: FixPlan,
    rendered: RenderedPlan,
    *,
    kind: str,
    message_id: str | None = None,
    findings: tuple[FindingText, ...] = (),
    rationale: str = "",
    source_plan: str = "",
) -> str:
    """Store ``plan`` as a pending action and show its approval card; returns its id."""
    store, settings = ctx.services.store, ctx.settings
    target = plan.target
    ttl = timedelta(minutes=settings.approvals.ttl_minutes)
    record = await store.approvals.propose(
        kind=kind,
        payload=json.dumps(plan.to_dict(), ensure_ascii=False),
        payload_hash=plan.content_hash,
        namespace=target.namespace,
        target=target.label,
        chat_id=ctx.chat_id,
        proposed_by=ctx.user_open_id,
        ttl=ttl,
    )
    zone = str(settings.runtime.timezone)
    view = PlanView(
        plan_id=record.id,
        kind=kind,
        namespace=target.namespace,
        deployment=target.label,
        operations=tuple(operation_text(op, ctx.lang) for op in plan.operations),
        diff=tuple(str(line) for line in rendered.diff),
        findings=findings,
        rationale=rationale,
        expires=card_time(_aware(record.expires_at), zone, ctx.lang, ctx.services.clock()),
        source_plan=source_plan,
        requester=ctx.user_open_id,
        approvers=tuple(approvers_of(Policy.from_settings(settings), target.namespace)),
        impact=impact_text(plan, ctx.lang),
        valid_minutes=settings.approvals.ttl_minutes,
    )
    keep = ttl + VIEW_KEEP_AFTER_EXPIRY
    await store.kv.put(VIEW_KEY.format(record.id), json.dumps(dataclasses.asdict(view)), ttl=keep)
    card = approval_card(view, ctx.lang)
    if message_id:  # recorded before the buttons show, so the record names its card
        await store.approvals.attach_message(record.id, message_id)
        await ctx.patch(message_id, card)
    else:
        message_id = await post(ctx)(card)
        await store.approvals.attach_message(record.id, message_id)
    await store.audit.record(
        actor=ctx.user_open_id,
        chat_id=ctx.chat_id,
        action=f"propose_{kind}",
        result="pending",
        action_id=record.id,
        payload_hash=plan.content_hash,
        detail=f"{target.namespace}/{target.label}: " + "; ".join(view.operations),
    )
    return record.id


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


# -- proposing ---------------------------------------------------------------------------
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
    try:
        if kind == "Deployment":
            diagnosis = await diagnose_deployment(access, namespace, name)
        else:
            diagnosis = await diagnose_workload(access, namespace, kind, name)
    except ClusterError as error:
        await ctx.patch(message_id, cluster_failure_card(ctx, error, deployment))
        return
    ctx.services.outages.recovered("Kubernetes")
    findings = finding_texts(diagnosis.findings, ctx.lang)
    limits = plan_limits(ctx.settings)
    chosen = combined_plan(diagnosis, limits)
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


async def handle(req: FixRequest, ctx: Context) -> None:
    namespace = req.namespace or default_namespace(ctx.settings, req.deployment)
    await propose_for(ctx, namespace, req.deployment)


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
    registry.add_skill(
        Skill(
            name="fix",
            usage_key="fix.usage",
            summary_key="fix.summary",
            parse=parse,
            handle=handle,
            aliases=("修复",),
            access=Requires(Role.viewer, scope=scope),
        )
    )
    proposes = Requires(Role.viewer, scope=button_scope)
    registry.action("diagnose", requires=proposes)(propose_from_button)
    registry.action("propose_fix", requires=proposes)(propose_from_button)
    registry.action("propose_scaling", requires=proposes)(propose_scaling)
