"""Routes deliveries to skills and card actions; runs on the worker pool, never on the ack.

Messages: p2p text and group @mentions; ``/command args`` parsed with shell-like quoting;
plain text goes to the assistant skill (``ask``). Card clicks dispatch on the
``action`` field of the button value. Before any skill or card action runs, the access
policy decides whether the sender may use it (``bot.access``). Every delivery is claimed
in the dedupe store first, so a redelivery (Feishu retries, restarts, other replicas)
runs nothing; while it is answered it is recorded so that another replica answers it if
this one dies (``bot.resumption``).
"""

from __future__ import annotations

import shlex

import structlog
from structlog.contextvars import bound_contextvars

from bot.access.guard import admitted
from bot.access.requirement import Rule
from bot.cards.cluster_tag import CLUSTER_KEY
from bot.cards.help import unknown_command_card, welcome_card
from bot.cards.notices import notice_card, usage_card
from bot.cluster_scope import cluster_for, unknown_cluster_error
from bot.context import ActionContext, Context
from bot.events import CardAction, ChatEvent, IncomingMessage
from bot.registry import ActionHandler, Registry
from bot.resumption import resumable, resume_interrupted
from bot.services import Services, UnknownCluster
from bot.skill_runner import guarded, run_skill
from bot.suggestions import closest_skill
from messages import t

__all__ = [
    "handle_message",
    "handle_action",
    "handle_chat_event",
    "resume",
    "split_command",
]

log = structlog.get_logger(__name__)
ASSISTANT = "ask"


def split_command(text: str) -> tuple[str, list[str]] | None:
    """``"/rca payments 30m"`` → ``("rca", ["payments", "30m"])``; None if not a command."""
    text = text.strip()
    if not text.startswith("/"):
        return None
    tokens = shlex.split(text[1:])
    if not tokens:
        return None
    return tokens[0].lower(), tokens[1:]


async def _claim(services: Services, key: str, kind: str) -> bool:
    if await services.store.dedupe.claim(key, kind):
        return True
    services.metrics.duplicates.inc()
    log.info("duplicate_dropped", key=key)
    return False


def _addressed_to_bot(msg: IncomingMessage, bot_open_id: str) -> bool:
    if msg.chat_type != "group":
        return True
    if bot_open_id:
        return bot_open_id in msg.mentioned_open_ids
    return bool(msg.mentioned_open_ids)


async def handle_message(msg: IncomingMessage, services: Services, registry: Registry) -> None:
    with bound_contextvars(event_id=msg.event_id, message_id=msg.message_id, chat_id=msg.chat_id):
        await _handle_message(msg, services, registry)


async def _handle_message(msg: IncomingMessage, services: Services, registry: Registry) -> None:
    if msg.sender_type not in ("user", ""):
        return
    if not _addressed_to_bot(msg, services.bot_open_id):
        return
    if not await _claim(services, msg.dedupe_key, "message"):
        return
    async with resumable(services, msg.dedupe_key, "message", msg):
        await _answer_message(msg, services, registry)


async def _answer_message(msg: IncomingMessage, services: Services, registry: Registry) -> None:
    ctx = Context(
        services=services.in_cluster(await cluster_for(services, msg.chat_id, None)),
        chat_id=msg.chat_id,
        user_open_id=msg.sender_open_id,
        request_key=msg.dedupe_key,
        message=msg,
    )
    lang = services.lang
    try:
        parsed = split_command(msg.text)
    except ValueError as exc:
        await ctx.reply(
            usage_card(
                lang, t("usage.bad_quoting", lang, detail=str(exc)), t("usage.see_help", lang)
            )
        )
        return
    if parsed is None:
        if not msg.text:
            return
        name, args = ASSISTANT, [msg.text]
    else:
        name, args = parsed
    skill = registry.find(name)
    if skill is None:
        suggestion = closest_skill(registry, name)
        await ctx.reply(unknown_command_card(name, suggestion, lang))
        return
    await run_skill(skill, args, ctx)


async def handle_action(action: CardAction, services: Services, registry: Registry) -> None:
    with bound_contextvars(
        event_id=action.event_id, message_id=action.message_id, chat_id=action.chat_id
    ):
        await _handle_action(action, services, registry)


async def _handle_action(action: CardAction, services: Services, registry: Registry) -> None:
    handler = registry.actions.get(action.name)
    if handler is None:
        return
    if not await _claim(services, action.dedupe_key, "card"):
        return
    async with resumable(services, action.dedupe_key, "card", action):
        await _answer_action(action, handler, registry.action_rules[action.name], services)


async def _answer_action(
    action: CardAction, handler: ActionHandler, rule: Rule, services: Services
) -> None:
    ctx = ActionContext(
        services=services,
        chat_id=action.chat_id,
        user_open_id=action.operator_open_id,
        request_key=action.dedupe_key,
        action=action,
    )
    named = action.value.get(CLUSTER_KEY)
    try:
        cluster = await cluster_for(services, action.chat_id, str(named) if named else None)
    except UnknownCluster as exc:  # a card of a cluster no longer configured
        log.warning("action_unknown_cluster", action=action.name, cluster=exc.name[:64])
        error = unknown_cluster_error(exc)
        text = t(error.key, ctx.lang, **error.params)
        await ctx.send(notice_card(t("cluster.title", ctx.lang), text, "error"))
        return
    ctx.services = services.in_cluster(cluster)

    async def checked() -> None:
        if await admitted(rule, ctx.value, ctx, action.name, ctx.send_to_chat):
            await handler(ctx)

    await guarded(f"action:{action.name}", checked(), ctx)


async def resume(services: Services, registry: Registry) -> int:
    """Answer the deliveries a dead replica left half-answered (see ``bot.resumption``)."""

    async def answer_message(msg: IncomingMessage, services: Services) -> None:
        with bound_contextvars(event_id=msg.event_id, message_id=msg.message_id):
            await _answer_message(msg, services, registry)

    async def answer_action(action: CardAction, services: Services) -> None:
        handler = registry.actions.get(action.name)
        if handler is not None:
            rule = registry.action_rules[action.name]
            with bound_contextvars(event_id=action.event_id, message_id=action.message_id):
                await _answer_action(action, handler, rule, services)

    return await resume_interrupted(services, answer_message, answer_action)


async def handle_chat_event(event: ChatEvent, services: Services, registry: Registry) -> None:
    with bound_contextvars(event_id=event.event_id, chat_id=event.chat_id):
        await _handle_chat_event(event, services, registry)


async def _handle_chat_event(event: ChatEvent, services: Services, registry: Registry) -> None:
    if not await _claim(services, event.dedupe_key, event.kind):
        return
    ctx = Context(
        services=services.in_cluster(await cluster_for(services, event.chat_id, None)),
        chat_id=event.chat_id,
        user_open_id=event.open_id,
        request_key=event.dedupe_key,
    )
    if event.kind == "menu":
        skill = registry.find(event.event_key)
        if skill is not None:
            await run_skill(skill, [], ctx)
        return
    await ctx.send(welcome_card(registry.visible(), services.lang, group=event.kind == "bot_added"))
