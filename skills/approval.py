"""Approve, Reject and Undo on approval cards.

Who may click is decided by the router before these run (``bot.access``): Approve,
Reject and Undo need the approver role for the plan's namespace and must come from the
plan's chat; with ``approvals.require_second_person`` the proposer may not approve.
Approve: the pending action is claimed atomically (one click wins, across replicas and
retries) → the STORED payload is checked against its hash → ``cluster.executor`` runs
it (resourceVersion check, server-side dry run, apply, rollout watch) → the clicked card
shows who approved, what changed, the outcome and Undo. Undo proposes a new pending
action that needs its own approval. Every step is written to the audit log.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from bot.access import ALL, Refusal, Requires, Role, Scope
from bot.access.guard import refusal_text
from bot.cards.fix import PlanView, applied_card, applying_card, not_applied_card, rejected_card
from bot.cards.notices import error_card, notice_card
from bot.context import ActionContext
from bot.registry import Registry
from bot.state import ActionRecord
from bot.state.approvals import ActionStatus, ClaimOutcome
from bot.texts.cluster import error_text, outcome_text
from cluster import (
    ApplyResult,
    ClusterApiError,
    ClusterError,
    ClusterUnavailable,
    Conflict,
    DryRunRejected,
    FixPlan,
    NotFound,
    PlanError,
    apply_plan,
    preview_plan,
    undo,
)
from skills.cluster_access import plan_limits, require_access
from skills.plan_offer import offer_plan, plan_view, who
from skills.plan_proposal import propose_for

__all__ = ["plan_scope", "register", "approve", "reject", "undo_change"]


async def plan_scope(value: dict[str, Any], ctx: ActionContext) -> Scope:
    """The plan's namespace; only from the plan's chat.

    Also its proposer (four-eyes). Nothing when there is no such plan: the handler then
    says so."""
    plan_id = value.get("plan_id")
    record = await ctx.services.store.approvals.get(plan_id) if isinstance(plan_id, str) else None
    if record is None:
        return Scope()
    return Scope(
        namespace=record.namespace or ALL,  # a Node plan: cluster-wide, "*" grants only
        cluster=record.cluster,
        chat_id=record.chat_id or None,
        proposer=record.proposed_by or None,
        object_id=record.id,
    )


def _refused(action: str) -> Any:
    """Phrase a refusal of ``action`` on a plan card (the router has audited it)."""

    async def hook(ctx: ActionContext, refusal: Refusal, scope: Scope) -> None:
        ctx.services.metrics.approvals.labels(outcome=f"{action}:{refusal.reason}").inc()
        if refusal.reason == "unauthorised":
            namespace = scope.namespace or "—"
            text = ctx.t("fix.refused.unauthorised", who=who(ctx.user_open_id), namespace=namespace)
        elif refusal.reason == "other_chat":
            text = ctx.t("fix.refused.other_chat", plan_id=scope.object_id or "—")
        else:
            text = refusal_text(refusal, action, ctx.user_open_id, ctx.lang)
        await ctx.send_to_chat(notice_card(ctx.t("fix.refused.title"), text, "error"))

    return hook


def _decides(action: str, *, four_eyes: bool = False) -> Requires:
    return Requires(
        Role.approver,
        changes_state=True,
        scope=plan_scope,
        four_eyes=four_eyes,
        audit_as=action,
        on_refused=_refused(action),
    )


def _error_code(error: Exception) -> str:
    for kind, code in (
        (Conflict, "conflict"),
        (DryRunRejected, "dry_run_rejected"),
        (NotFound, "not_found"),
        (ClusterUnavailable, "unavailable"),
        (ClusterApiError, "api_error"),
        (PlanError, "plan_invalid"),
    ):
        if isinstance(error, kind):
            return code
    return "error"


async def _audit(
    ctx: ActionContext, action: str, result: str, record: ActionRecord | None, detail: str = ""
) -> None:
    ctx.services.metrics.approvals.labels(outcome=f"{action}:{result}").inc()
    await ctx.services.store.audit.record(
        actor=ctx.user_open_id,
        chat_id=ctx.chat_id,
        action=action,
        result=result,
        action_id=record.id if record else str(ctx.value.get("plan_id", ""))[:40],
        payload_hash=record.payload_hash if record else None,
        detail=detail,
    )


async def _notice(ctx: ActionContext, text: str) -> None:
    await ctx.send(notice_card(ctx.t("fix.refused.title"), text, "error"))


async def _decidable(ctx: ActionContext, action: str) -> ActionRecord | None:
    """The record behind the clicked button, if it exists (the router has checked that
    the clicker may decide it, from its chat)."""
    plan_id = ctx.value.get("plan_id")
    record = await ctx.services.store.approvals.get(plan_id) if isinstance(plan_id, str) else None
    if record is None:
        await _audit(ctx, action, "missing", None)
        await _notice(ctx, ctx.t("fix.refused.missing", plan_id=str(plan_id)))
        return None
    _on_plan_cluster(ctx, record)
    return record


def _on_plan_cluster(ctx: ActionContext, record: ActionRecord) -> None:
    """A plan is decided, applied and undone on the cluster it was proposed for, whatever
    the button said (the record is the authority; the router checked that cluster)."""
    if ctx.services.cluster_name != record.cluster:
        ctx.services = ctx.services.in_cluster(record.cluster)


async def _claim(
    ctx: ActionContext, action: str, record: ActionRecord, status: ActionStatus
) -> bool:
    outcome = await ctx.services.store.approvals.claim(record.id, ctx.user_open_id, status)
    if outcome is ClaimOutcome.CLAIMED:
        return True
    await _audit(ctx, action, outcome, record)
    if outcome is ClaimOutcome.EXPIRED:
        text = ctx.t(
            "fix.refused.expired",
            plan_id=record.id,
            deployment=record.target,
            namespace=record.namespace,
        )
        await ctx.update_card(not_applied_card(plan_view(record), text, ctx.lang))
        return False
    if outcome is ClaimOutcome.MISSING:
        await _notice(ctx, ctx.t("fix.refused.missing", plan_id=record.id))
        return False
    now = await ctx.services.store.approvals.get(record.id)
    text = ctx.t(
        "fix.refused.already",
        plan_id=record.id,
        status=ctx.t(f"fix.status.{outcome.decided_status}"),
        who=who(now.decided_by or "") if now else "—",
    )
    await _notice(ctx, text)
    return False


async def approve(ctx: ActionContext) -> None:
    record = await _decidable(ctx, "approve")
    access = require_access(ctx)
    if record is None or not await _claim(ctx, "approve", record, ActionStatus.APPLYING):
        return
    await _audit(ctx, "approve", "approved", record)
    view = plan_view(record)
    try:
        plan = FixPlan.from_dict(json.loads(record.payload), trusted=True)
        intact = plan.content_hash == record.payload_hash
    except (ValueError, PlanError):
        intact = False
    if not intact:
        await _not_applied(ctx, record, view, "tampered", ctx.t("fix.tampered"))
        return
    await ctx.update_card(applying_card(view, who(ctx.user_open_id), ctx.lang))
    fixes = ctx.settings.fixes
    try:
        result = await apply_plan(
            plan,
            access,
            watch_timeout=fixes.watch_timeout_seconds,
            poll_interval=fixes.poll_seconds,
            limits=plan_limits(ctx.settings),
        )
    except Conflict:
        text = ctx.t("fix.conflict", deployment=record.target)
        await _not_applied(ctx, record, view, "conflict", text)
        await propose_for(ctx, record.namespace, record.target)
        return
    except (ClusterError, PlanError) as error:
        text = error_text(error, record.target, ctx.lang)
        await _not_applied(ctx, record, view, _error_code(error), text)
        return
    except Exception:  # a bug: record it, leave nothing "applying", re-raise
        text = ctx.t("fix.failed_unexpected")  # the exception is logged, never shown
        await _not_applied(ctx, record, view, "error", text)
        raise
    await _applied(ctx, record, view, result)


async def _not_applied(
    ctx: ActionContext, record: ActionRecord, view: PlanView, code: str, text: str
) -> None:
    store = ctx.services.store
    await store.approvals.finish(
        record.id, ActionStatus.FAILED, json.dumps({"error": code, "detail": text})
    )
    await _audit(ctx, "apply", code, record, text)
    await ctx.update_card(not_applied_card(view, text, ctx.lang))


async def _applied(
    ctx: ActionContext, record: ActionRecord, view: PlanView, result: ApplyResult
) -> None:
    await ctx.services.store.approvals.finish(
        record.id, ActionStatus.APPLIED, json.dumps(result.to_dict())
    )
    changed = tuple(str(line) for line in result.diff)
    await _audit(ctx, "apply", result.outcome, record, "\n".join(changed))
    text = outcome_text(
        result.outcome,
        result.deployment,
        result.revision,
        result.message,
        ctx.lang,
        kind=result.kind,
    )
    card = applied_card(
        replace(view, diff=changed), who(ctx.user_open_id), result.outcome, text, ctx.lang
    )
    await ctx.update_card(card)


async def reject(ctx: ActionContext) -> None:
    record = await _decidable(ctx, "reject")
    if record is None or not await _claim(ctx, "reject", record, ActionStatus.REJECTED):
        return
    form = ctx.action.form_value if ctx.action else {}
    reason = str(form.get("reason") or "").strip()[:200]
    await ctx.services.store.approvals.finish(
        record.id, ActionStatus.REJECTED, json.dumps({"reason": reason})
    )
    await _audit(ctx, "reject", "rejected", record, reason)
    shown = reason or ctx.t("fix.rejected.no_reason")
    view = plan_view(record)
    await ctx.update_card(rejected_card(view, who(ctx.user_open_id), shown, ctx.lang))


async def undo_change(ctx: ActionContext) -> None:
    """Propose the reverse of an applied plan; it waits for an approver like any plan.
    Only an approver in the plan's chat gets here, so nobody else can take its Undo."""
    plan_id = ctx.value.get("plan_id")
    store = ctx.services.store
    record = await store.approvals.get(plan_id) if isinstance(plan_id, str) else None
    if record is None or record.status is not ActionStatus.APPLIED or not record.result:
        await _audit(ctx, "undo", "unavailable", record)
        await _notice(ctx, ctx.t("fix.refused.undo_unavailable", plan_id=str(plan_id)))
        return
    _on_plan_cluster(ctx, record)
    access = require_access(ctx)
    try:
        result = ApplyResult.from_dict(json.loads(record.result))
        plan = await undo(result, access)
        rendered = await preview_plan(access, plan, limits=plan_limits(ctx.settings))
    except ClusterError as error:
        await _audit(ctx, "undo", _error_code(error), record, str(error))
        await ctx.send(
            error_card(ctx.lang, "Kubernetes", error_text(error, record.target, ctx.lang))
        )
        return
    except PlanError as error:
        await _audit(ctx, "undo", "plan_invalid", record, str(error))
        await _notice(ctx, error_text(error, record.target, ctx.lang))
        return
    if not await store.dedupe.claim(f"undo:{record.id}", "undo"):
        await _audit(ctx, "undo", "already_proposed", record)
        await _notice(ctx, ctx.t("fix.refused.undo_exists", plan_id=record.id))
        return
    await offer_plan(ctx, plan, rendered, kind="undo", source_plan=record.id)


def register(registry: Registry) -> None:
    registry.action("approve_plan", requires=_decides("approve", four_eyes=True))(approve)
    registry.action("reject_plan", requires=_decides("reject"))(reject)
    registry.action("undo_plan", requires=_decides("undo"))(undo_change)
