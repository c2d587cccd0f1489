"""Escalation of a firing alert nobody has claimed: Feishu urgent notifications on its card.

When a firing group of a route with a ``team`` gets its card, the team's on-call person
is mentioned on it and the team's ``escalation`` steps start counting from then
(``after_minutes``). The leader's ``escalation`` job looks for due steps every
``oncall.tick_seconds``; each step is taken with a conditional update of the state
store, so it goes out once across replicas and restarts. A step sends ``via``
(``urgent_app``, ``urgent_sms``, ``urgent_phone``) on the card's message to ``to``:
the person on call now (``current``, default), the ``next`` one, or listed open_ids.

When the tenant has not granted the channel's scope (Feishu code 230027), the step falls
back to the next channel (app → sms → phone → app) and the card names the missing scope.
Claiming the card (the Claim button) or the group resolving stops what is left. Every
step is a line on the card and an audit entry (``alert_escalate``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import structlog
from apscheduler.triggers.interval import IntervalTrigger

from bot.cards.alert import AlertView, alert_card
from bot.jobs import Clock, JobRun, ScheduledJob
from bot.jobs.schedules import ANCHOR
from bot.messenger import FeishuError
from bot.services import Services
from bot.state import Store
from config.settings import EscalationStep
from skills.alerts.state import load_record, save_record
from skills.oncall.teams import who_is_on_call

__all__ = [
    "CHANNELS",
    "MISSING_SCOPE",
    "SCOPES",
    "begin",
    "stop",
    "escalate_due",
    "escalation_job",
]

log = structlog.get_logger(__name__)
CHANNELS = ("urgent_app", "urgent_sms", "urgent_phone")
SCOPES = {
    "urgent_app": "im:message.urgent",
    "urgent_sms": "im:message.urgent:sms",
    "urgent_phone": "im:message.urgent:phone",
}
MAX_CATCH_UP = 10  # steps of one card taken in one run at most
MISSING_SCOPE = 230027  # Feishu: "Lack of necessary permissions."


def _steps(services: Services, team: str) -> list[EscalationStep]:
    config = services.settings.oncall.teams.get(team)
    return list(config.escalation) if config else []


def _due(fired: datetime, step: EscalationStep) -> datetime:
    return fired + timedelta(minutes=step.after_minutes)


async def begin(
    services: Services, view: AlertView, chat_id: str, message_id: str, now: datetime
) -> None:
    """Start the team's steps for a card just sent (nothing without a team or steps)."""
    if not view.team:
        return
    steps = _steps(services, view.team)
    await services.store.escalations.start(
        key=view.key,
        team=view.team,
        chat_id=chat_id,
        message_id=message_id,
        fired_at=now,
        first_due=_due(now, steps[0]) if steps else None,
    )


async def stop(store: Store, key: str, status: str, now: datetime, by: str | None = None) -> bool:
    """Stop what is left of a card's escalation (``claimed`` or ``resolved``)."""
    return await store.escalations.stop(key, status, now, by)


async def _recipients(
    services: Services, team: str, step: EscalationStep, now: datetime
) -> list[str]:
    if isinstance(step.to, list):
        return list(step.to)
    found = await who_is_on_call(services, team, now)
    if found is None:
        return []
    return [found.next if step.to == "next" else found.current]


def _fallbacks(via: str) -> list[str]:
    start = CHANNELS.index(via)
    return [CHANNELS[(start + i) % len(CHANNELS)] for i in range(len(CHANNELS))]


async def _notify(
    services: Services, message_id: str, step: EscalationStep, to: list[str], now: datetime
) -> list[dict[str, str]]:
    """Send the step (falling back on a missing scope); the card lines it gives."""
    at, who = now.isoformat(), ",".join(to)
    if not to:
        return [{"at": at, "via": step.via, "to": "", "result": "nobody"}]
    lines: list[dict[str, str]] = []
    for via in _fallbacks(step.via):
        try:
            await services.messenger.urgent(message_id, via, to)
        except FeishuError as exc:
            if exc.code == MISSING_SCOPE:
                line = {"at": at, "via": via, "to": who, "result": "missing_scope"}
                lines.append({**line, "scope": SCOPES[via]})
                continue
            error = f"code {exc.code}" if exc.code is not None else f"HTTP {exc.status}"
            lines.append({"at": at, "via": via, "to": who, "result": "failed", "error": error})
            return lines
        lines.append({"at": at, "via": via, "to": who, "result": "sent"})
        return lines
    return lines


async def escalate_due(services: Services, now: datetime, timezone: str) -> int:
    """Take every due step once, catching up several steps of a card that fell behind
    (the bot was down); returns how many this call took."""
    taken = 0
    for _ in range(MAX_CATCH_UP):
        took = await _escalate_round(services, now, timezone)
        taken += took
        if not took:
            break
    return taken


async def _escalate_round(services: Services, now: datetime, timezone: str) -> int:
    taken = 0
    for pending in await services.store.escalations.due(now):
        steps = _steps(services, pending.team)
        index = pending.next_step
        following = steps[index + 1] if index + 1 < len(steps) else None
        next_due = _due(pending.fired_at, following) if following else None
        if not await services.store.escalations.take(pending.key, index, next_due, now):
            continue  # another replica or run took it
        taken += 1
        if index >= len(steps):
            continue  # the team's steps changed since: nothing left
        step = steps[index]
        to = await _recipients(services, pending.team, step, now)
        lines = await _notify(services, pending.message_id, step, to, now)
        await services.store.audit.record(
            actor="bot",
            chat_id=pending.chat_id,
            action="alert_escalate",
            result=lines[-1]["result"],
            detail=f"{pending.key} step {index + 1}: " + ", ".join(x["via"] for x in lines),
        )
        detail = "; ".join(f"{x['via']} → {x['to'] or '—'}: {x['result']}" for x in lines)
        await services.store.timeline.add(pending.key, "escalated", "bot", now, detail)
        record = await load_record(services.store, pending.key)
        if record is None:
            continue
        record.view.escalation.extend(lines)
        await save_record(services.store, record)
        card = alert_card(record.view, services.lang, timezone)
        # The card of another cluster keeps naming it (header tag, button values).
        messenger = (
            services.messenger.about(record.cluster) if record.cluster else services.messenger
        )
        await messenger.patch(record.message_id, card, chat_id=record.chat_id)
    return taken


def escalation_job(services: Services, clock: Clock, timezone: str) -> ScheduledJob:
    """The leader's look for due steps, every ``oncall.tick_seconds``."""
    every = services.settings.oncall.tick_seconds

    async def run(_run: JobRun) -> None:
        taken = await escalate_due(services, clock(), timezone)
        if taken:
            log.info("escalation_steps", taken=taken)

    trigger = IntervalTrigger(seconds=every, start_date=ANCHOR.replace(tzinfo=UTC), timezone="UTC")
    return ScheduledJob("escalation", trigger, run, grace=timedelta(seconds=every))
