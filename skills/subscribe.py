"""Forecast digests: /subscribe, /subscriptions [run <id>], /unsubscribe <id>.

``/subscribe forecast <service> [daily HH:MM | weekdays HH:MM | every 6h]`` (default
``daily 09:00``, in ``runtime.timezone``). The subscriptions of a chat that share a
schedule form one digest: one card with every service (forecast chart, peak,
recommended replicas, anomalies of the last day), sent by the leader-locked scheduler
(``skills.digests``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.access import PerRequest, Requires, Role, Scope
from bot.cards.card import card as make_card
from bot.cards.elements import markdown, table
from bot.cards.notices import notice_card
from bot.context import Context
from bot.jobs import parse_schedule
from bot.jobs.schedules import DEFAULT_SCHEDULE, Schedule
from bot.registry import Registry, Skill, UsageError
from skills.arguments import NAME
from skills.digests import KIND, build_digest
from skills.service_forecast import namespace_of

__all__ = ["register", "parse_subscribe"]


@dataclass(frozen=True)
class SubscribeRequest:
    service: str
    schedule: Schedule


@dataclass(frozen=True)
class ListRequest:
    run_id: str | None = None


@dataclass(frozen=True)
class UnsubscribeRequest:
    sub_id: str


def parse_subscribe(args: Sequence[str]) -> SubscribeRequest:
    if len(args) < 2:
        raise UsageError("usage.missing_argument", name="forecast <service>")
    if args[0].lower() != KIND:
        raise UsageError("subscribe.bad_kind", kind=args[0])
    service = args[1].lower()
    if not NAME.match(service):
        raise UsageError("usage.bad_name", value=args[1])
    text = " ".join(args[2:]) or DEFAULT_SCHEDULE
    try:
        return SubscribeRequest(service, parse_schedule(text))
    except ValueError as exc:
        raise UsageError("subscribe.bad_schedule", detail=str(exc)) from None


def parse_list(args: Sequence[str]) -> ListRequest:
    if not args:
        return ListRequest()
    if len(args) == 2 and args[0].lower() == "run":
        return ListRequest(args[1])
    raise UsageError("usage.unexpected_arguments", args=" ".join(args))


def parse_unsubscribe(args: Sequence[str]) -> UnsubscribeRequest:
    if len(args) != 1:
        raise UsageError("usage.missing_argument", name="id")
    return UnsubscribeRequest(args[0])


def subscribe_scope(req: SubscribeRequest, ctx: Context) -> Scope:
    """The service's namespace (forecast.services, prometheus.services, default)."""
    return Scope(namespace=namespace_of(ctx.settings, req.service))


CHANGE = Requires(Role.operator, changes_state=True)
LIST_ACCESS = PerRequest(
    lambda req: "run" if req.run_id else "", {"": Requires(Role.viewer), "run": CHANGE}
)


async def subscribe(req: SubscribeRequest, ctx: Context) -> None:
    store = ctx.services.store.subscriptions
    for sub in await store.list(ctx.chat_id):
        if (sub.kind, sub.target, sub.schedule) == (KIND, req.service, req.schedule.text):
            await ctx.reply(
                notice_card(ctx.t("subscribe.title"), ctx.t("subscribe.exists", id=sub.id))
            )
            return
    sub = await store.add(
        chat_id=ctx.chat_id,
        kind=KIND,
        target=req.service,
        schedule=req.schedule.text,
        created_by=ctx.user_open_id,
    )
    text = ctx.t(
        "subscribe.done",
        service=req.service,
        schedule=req.schedule.text,
        id=sub.id,
        timezone=ctx.settings.runtime.timezone,
    )
    await ctx.reply(notice_card(ctx.t("subscribe.title"), text, severity="ok"))


async def subscriptions(req: ListRequest, ctx: Context) -> None:
    subs = [s for s in await ctx.services.store.subscriptions.list(ctx.chat_id) if s.kind == KIND]
    if req.run_id is not None:
        chosen = next((s for s in subs if s.id == req.run_id), None)
        if chosen is None:
            await ctx.reply(
                notice_card(
                    ctx.t("subscribe.title"), ctx.t("subscribe.unknown", id=req.run_id), "warning"
                )
            )
            return
        names = [s.target for s in subs if s.schedule == chosen.schedule]
        schedule = parse_schedule(chosen.schedule)
        for card in await build_digest(ctx.services, names, schedule, datetime.now(UTC)):
            await ctx.reply(card)
        return
    if not subs:
        await ctx.reply(notice_card(ctx.t("subscribe.title"), ctx.t("subscribe.none")))
        return
    rows = [{"id": s.id, "service": s.target, "schedule": s.schedule} for s in subs]
    cols = [
        ("id", "ID", "text"),
        ("service", ctx.t("subscribe.col.service"), "text"),
        ("schedule", ctx.t("subscribe.col.schedule"), "text"),
    ]
    body = [
        table(cols, rows, page_size=10),
        markdown(ctx.t("subscribe.hint"), text_size="notation"),
    ]
    await ctx.reply(make_card(ctx.t("subscribe.list_title"), body))


async def unsubscribe(req: UnsubscribeRequest, ctx: Context) -> None:
    removed = await ctx.services.store.subscriptions.remove(req.sub_id, ctx.chat_id)
    key = "subscribe.removed" if removed else "subscribe.unknown"
    await ctx.reply(
        notice_card(
            ctx.t("subscribe.title"), ctx.t(key, id=req.sub_id), "ok" if removed else "warning"
        )
    )


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            "subscribe",
            "subscribe.usage",
            "subscribe.summary",
            subscribe,
            parse=parse_subscribe,
            aliases=("订阅",),
            access=Requires(Role.operator, changes_state=True, scope=subscribe_scope),
        )
    )
    registry.add_skill(
        Skill(
            "subscriptions",
            "subscriptions.usage",
            "subscriptions.summary",
            subscriptions,
            parse=parse_list,
            access=LIST_ACCESS,
        )
    )
    registry.add_skill(
        Skill(
            "unsubscribe",
            "unsubscribe.usage",
            "unsubscribe.summary",
            unsubscribe,
            parse=parse_unsubscribe,
            aliases=("退订",),
            access=CHANGE,
        )
    )
