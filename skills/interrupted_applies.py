"""Applies that never finished. An approved plan is ``applying`` until its outcome is
recorded; when the process applying it dies, it would stay so forever. The housekeeping
job calls :func:`interrupt_stale_applies`, which marks such plans ``interrupted``, writes
the audit entry and shows it on the plan's card. Nothing is applied again: the outcome is
unknown, so the card asks people to check the deployment, and a click on the old Approve
button is refused like any decided plan's.
"""

from __future__ import annotations

from datetime import timedelta

import structlog

from bot.cards.fix import interrupted_card
from bot.services import Services
from bot.state import ActionRecord
from config.settings import Settings
from messages import t
from skills.plan_offer import plan_view, who

__all__ = ["ACTOR", "interrupt_after", "interrupt_stale_applies"]

log = structlog.get_logger(__name__)
ACTOR = "housekeeping"  # the audit log's actor for what the bot decides by itself


def interrupt_after(settings: Settings) -> timedelta:
    """``approvals.interrupt_after_minutes``, never under twice the rollout watch
    (``fixes.watch_timeout_seconds``), so a slow but live apply is not called interrupted."""
    watch = timedelta(seconds=settings.fixes.watch_timeout_seconds)
    return max(timedelta(minutes=settings.approvals.interrupt_after_minutes), 2 * watch)


async def interrupt_stale_applies(services: Services, older_than: timedelta) -> int:
    """Mark plans applying for longer than ``older_than`` interrupted; returns how many."""
    store, lang = services.store, services.lang
    minutes = int(older_than.total_seconds() // 60)
    moved = await store.approvals.interrupt_stale(older_than)
    for record in moved:
        services.metrics.approvals.labels(outcome="apply:interrupted").inc()
        detail = t(
            "fix.interrupted.audit",
            lang,
            namespace=record.namespace,
            deployment=record.target,
            minutes=minutes,
        )
        await store.audit.record(
            actor=ACTOR,
            chat_id=record.chat_id,
            action="apply",
            result="interrupted",
            action_id=record.id,
            payload_hash=record.payload_hash,
            detail=detail,
        )
        log.warning("apply_interrupted", plan_id=record.id, approver=record.decided_by)
        await _show(services, record, minutes)
    return len(moved)


async def _show(services: Services, record: ActionRecord, minutes: int) -> None:
    """Patch the plan's card (it still says "applying"); the audit entry stands anyway."""
    if not record.message_id:
        return
    lang = services.lang
    text = t(
        "fix.interrupted.body",
        lang,
        who=who(record.decided_by or ""),
        plan_id=record.id,
        minutes=minutes,
        namespace=record.namespace,
        deployment=record.target,
    )
    card = interrupted_card(plan_view(record), text, lang)
    try:
        await services.messenger.patch(record.message_id, card, chat_id=record.chat_id)
    except Exception as exc:
        log.warning("interrupted_card_failed", plan_id=record.id, error=type(exc).__name__)
