"""Alert card buttons: Run RCA, Silence 30m / 2h / 1d or a typed duration (5m to 30d,
a card form; Alertmanager API), Claim.

Claim (action ``alert_ack``, once labelled Acknowledge) records who owns the alert and
stops its escalation (``skills.alerts.escalation``).

Silence and Claim need the operator role for the alert's namespace (every
namespace for an alert that names none) and must come from the chat of the alert card;
the router checks it (``bot.access``) before these run."""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.access import ALL, Requires, Role, Scope
from bot.cards.alert import SILENCE_CHOICES, alert_card
from bot.context import ActionContext, Context
from bot.registry import DependencyError, Registry, UsageError
from bot.services import Alertmanager
from bot.skill_runner import run_skill
from skills.alerts.escalation import stop
from skills.alerts.response_times import observe_claim
from skills.alerts.silence import SilenceFailed, matchers_for
from skills.alerts.state import AlertRecord, load_record, save_record
from skills.arguments import parse_window

__all__ = ["register_actions", "SILENCE_FOR"]

SILENCE_FOR = timedelta(hours=1)  # cards posted before the durations were offered
CUSTOM_LEAST, CUSTOM_MOST = timedelta(minutes=5), timedelta(days=30)
CHOICES = {text: parse_window(text, least=timedelta(minutes=1)) for text in SILENCE_CHOICES}


def _client(ctx: ActionContext) -> Alertmanager | None:
    return ctx.services.alertmanager


def _timezone(ctx: ActionContext) -> str:
    return str(ctx.settings.runtime.timezone)


async def alert_scope(value: dict[str, Any], ctx: ActionContext) -> Scope:
    """The alert's namespace (none: every namespace); only from the alert card's chat.

    Nothing when the card is gone: the handler then says so."""
    record = await load_record(ctx.services.store, str(value.get("key", "")))
    if record is None:
        return Scope()
    namespace = record.view.namespace or ALL
    return Scope(namespace=namespace, chat_id=record.chat_id or None, object_id=record.view.key)


def rca_scope(value: dict[str, Any], ctx: ActionContext) -> Scope:
    """The namespace the button names (then /rca checks its own)."""
    namespace = value.get("namespace")
    return Scope(namespace=str(namespace) if isinstance(namespace, str) and namespace else None)


async def _record(ctx: ActionContext) -> AlertRecord | None:
    record = await load_record(ctx.services.store, str(ctx.value.get("key", "")))
    if record is None:
        await ctx.send(ctx.t("alert.gone"))
    return record


async def _show(ctx: ActionContext, record: AlertRecord) -> None:
    await save_record(ctx.services.store, record)
    await ctx.patch(record.message_id, alert_card(record.view, ctx.lang, _timezone(ctx)))


async def acknowledge(ctx: ActionContext) -> None:
    record = await _record(ctx)
    if record is None or record.view.acked_by:
        return
    record.view.acked_by = ctx.user_open_id
    now = ctx.services.clock()
    await stop(ctx.services.store, record.view.key, "claimed", now, ctx.user_open_id)
    await ctx.services.store.timeline.add(record.view.key, "claimed", ctx.user_open_id, now)
    await observe_claim(ctx.services, record.view, now)
    await _show(ctx, record)
    await ctx.services.store.audit.record(
        actor=ctx.user_open_id,
        chat_id=ctx.chat_id,
        action="alert_ack",
        result="ok",
        detail=record.view.key,
    )


async def _duration(ctx: ActionContext) -> timedelta | None:
    """The silence's length: a button's choice, or the typed one (5m to 30d)."""
    choice = str(ctx.value.get("for", ""))
    if choice != "custom":
        return CHOICES.get(choice, SILENCE_FOR)
    form = ctx.action.form_value if ctx.action else {}
    typed = str(form.get("duration") or "").strip()
    try:
        return parse_window(typed, least=CUSTOM_LEAST, most=CUSTOM_MOST)
    except UsageError as exc:
        await ctx.send(ctx.t(exc.key, **exc.params))
        return None


async def silence(ctx: ActionContext) -> None:
    client = _client(ctx)  # the card's cluster's (the router scopes a click by its button)
    if client is None:
        where = "ALERTMANAGER_URL"
        if ctx.settings.multi_cluster:
            where = f"alertmanager_url of cluster {ctx.services.cluster_name}"
        raise DependencyError("Alertmanager", f"not configured (set {where})")
    record = await _record(ctx)
    if record is None or record.view.silenced_by:
        return
    labels = record.view.labels
    duration = await _duration(ctx)
    if duration is None:
        return
    now = datetime.now(UTC)
    audit = ctx.services.store.audit
    detail = {"matchers": matchers_for(labels), "key": record.view.key}
    try:
        silence_id = await client.silence(
            labels,
            starts=now,
            duration=duration,
            created_by=ctx.user_open_id,
            comment=f"CloudOps Bot: {record.view.alertname} silenced from chat {ctx.chat_id}",
        )
    except SilenceFailed as exc:
        await audit.record(
            actor=ctx.user_open_id,
            chat_id=ctx.chat_id,
            action="alert_silence",
            result="failed",
            detail=json.dumps({**detail, "error": str(exc)}),
        )
        raise DependencyError("Alertmanager", str(exc)) from exc
    await audit.record(
        actor=ctx.user_open_id,
        chat_id=ctx.chat_id,
        action="alert_silence",
        result="ok",
        action_id=silence_id[:40] or None,
        detail=json.dumps(detail),
    )
    # Read the card again: a claim may have landed while Alertmanager answered.
    record = await load_record(ctx.services.store, record.view.key) or record
    record.view.silenced_by = ctx.user_open_id
    record.view.silenced_until = (now + duration).isoformat()
    until = f"until {record.view.silenced_until}"
    await ctx.services.store.timeline.add(record.view.key, "silenced", ctx.user_open_id, now, until)
    await _show(ctx, record)


async def run_rca(registry: Registry, ctx: ActionContext) -> None:
    skill = registry.find("rca")
    if skill is None:
        raise DependencyError("/rca", "the rca skill is not installed")
    service = str(ctx.value.get("service", ""))
    namespace = str(ctx.value.get("namespace", ""))
    args = [service, "30m", *(["-n", namespace] if namespace else [])]
    # The RCA goes into the alert card's thread, as whatever else a click starts.
    chat = Context(
        ctx.services, ctx.chat_id, ctx.user_open_id, ctx.request_key, thread_of=ctx.message_id
    )
    await run_skill(skill, args, chat)


def register_actions(registry: Registry) -> None:
    changes = Requires(Role.operator, changes_state=True, scope=alert_scope)
    registry.action("alert_ack", requires=changes)(acknowledge)
    registry.action("alert_silence", requires=changes)(silence)
    rca = functools.partial(run_rca, registry)
    registry.action("alert_rca", requires=Requires(Role.viewer, scope=rca_scope))(rca)
