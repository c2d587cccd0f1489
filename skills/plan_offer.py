"""Offering a plan for approval: store it as a pending action and show its approval card.

The pending action holds the plan (payload = the plan's JSON, hash = its content hash)
and the card view it was shown with, so every later card of the plan (approved,
rejected, undone, expired, interrupted) shows the same text; the card's buttons carry
the stored id only (``skills.approval`` takes it from there).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.access import Policy
from bot.access.approvers import approvers_of
from bot.cards.card import Card
from bot.cards.clock import card_time
from bot.cards.fix import FindingText, PlanView, approval_card
from bot.context import ActionContext, Context
from bot.state import ActionRecord
from bot.texts.cluster import impact_text, operation_text
from cluster import FixPlan, RenderedPlan

__all__ = ["AnyContext", "offer_plan", "plan_view", "post", "who"]

AnyContext = Context | ActionContext


def post(ctx: AnyContext) -> Callable[[Card], Awaitable[str]]:
    """Answer a message in place (its thread), or post a new message for a click."""
    return ctx.reply if isinstance(ctx, Context) else ctx.send


def who(open_id: str) -> str:
    return f"<at id={open_id}></at>" if open_id else "—"


def plan_view(record: ActionRecord) -> PlanView:
    """The plan as its cards show it: as recorded when proposed, or its ids only."""
    if record.card_view is None:
        return PlanView(record.id, record.kind, record.namespace, record.target, (), ())
    data = json.loads(record.card_view)
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
    record = await store.approvals.propose(
        kind=kind,
        payload=json.dumps(plan.to_dict(), ensure_ascii=False),
        payload_hash=plan.content_hash,
        namespace=target.namespace,
        target=target.label,
        chat_id=ctx.chat_id,
        proposed_by=ctx.user_open_id,
        ttl=timedelta(minutes=settings.approvals.ttl_minutes),
        cluster=ctx.services.cluster_name,
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
        expires=card_time(record.expires_at, zone, ctx.lang, ctx.services.clock()),
        source_plan=source_plan,
        requester=ctx.user_open_id,
        approvers=tuple(
            approvers_of(
                Policy.from_settings(settings), target.namespace, ctx.services.cluster_name
            )
        ),
        impact=impact_text(plan, ctx.lang),
        valid_minutes=settings.approvals.ttl_minutes,
    )
    await store.approvals.attach_view(record.id, json.dumps(dataclasses.asdict(view)))
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
