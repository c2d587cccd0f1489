"""Answer again what a crashed replica was answering (at-least-once after the claim).

A delivery is claimed once (``bot.state.dedupe``); while its answer runs, it is also
recorded in ``store.inflight`` with a lease the worker renews. If the replica dies (or
is stopped mid-command), the lease runs out and any replica's ``resume_interrupted``
answers it again. The sends of the second run reuse the first run's message uuids
(derived from the delivery key), so Feishu drops what the first run already sent
within the hour. After ``MAX_ATTEMPTS`` runs the user gets a notice to send the command
again instead of a third try.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import structlog

from bot.context import ActionContext, Context
from bot.events import CardAction, IncomingMessage, action_from_payload, message_from_payload
from bot.events import to_payload as payload_of
from bot.scheduler.lease import default_holder
from bot.services import Services
from bot.state.inflight import InflightRecord
from messages import t

__all__ = ["MAX_ATTEMPTS", "resumable", "resume_interrupted"]

log = structlog.get_logger(__name__)

MAX_ATTEMPTS = 2
HOLDER = default_holder()


def _lease(services: Services) -> timedelta:
    """How long a record stays ours without renewal (``runtime.resume_lease_seconds``)."""
    return timedelta(seconds=services.settings.runtime.resume_lease_seconds)


async def _renew(services: Services, key: str) -> None:
    lease = _lease(services)
    while True:
        await asyncio.sleep(lease.total_seconds() / 3)  # three renewals fit in a lease
        try:
            await services.store.inflight.renew(key, HOLDER, lease)
        except Exception:  # a database hiccup: the next renewal tries again
            log.warning("inflight_renew_failed", key=key)


@contextlib.asynccontextmanager
async def resumable(
    services: Services, key: str, kind: str, delivery: IncomingMessage | CardAction
) -> AsyncIterator[None]:
    """Record the delivery while its answer runs; forget it when the answer is done.

    Recording is best effort: if the database fails, the answer still runs (it just
    could not be resumed after a crash).
    """
    inflight = services.store.inflight
    try:
        await inflight.begin(key, kind, payload_of(delivery), HOLDER, _lease(services))
    except Exception:
        log.warning("inflight_record_failed", key=key)
        yield
        return
    renewal = asyncio.create_task(_renew(services, key))
    stopping = False
    try:
        yield
    except asyncio.CancelledError:
        stopping = True
        raise
    finally:
        renewal.cancel()
        try:
            if stopping:  # stopped mid-answer: let another replica resume it now
                await asyncio.shield(inflight.release(key, HOLDER))
            else:  # answered, or failed for good (an error card was the answer)
                await inflight.finish(key)
        except Exception:
            log.warning("inflight_close_failed", key=key)


async def resume_interrupted(
    services: Services,
    answer_message: Callable[[IncomingMessage, Services], Awaitable[None]],
    answer_action: Callable[[CardAction, Services], Awaitable[None]],
) -> int:
    """Answer every delivery whose replica died; returns how many were taken over."""
    taken = await services.store.inflight.take_stale(HOLDER, _lease(services))
    for record in taken:
        log.warning("resuming_interrupted", key=record.key, attempt=record.attempts)
        try:
            delivery = _delivery(record)
        except (ValueError, TypeError):  # unreadable: nothing could answer it
            log.exception("resume_unreadable", key=record.key)
            services.metrics.resumed.labels(outcome="unreadable").inc()
            await services.store.inflight.finish(record.key)
            continue
        if record.attempts > MAX_ATTEMPTS:
            services.metrics.resumed.labels(outcome="gave_up").inc()
            try:
                await _give_up(delivery, services)
            except Exception:
                log.exception("resume_give_up_failed", key=record.key)
            await services.store.inflight.finish(record.key)
            continue
        services.metrics.resumed.labels(outcome="answered_again").inc()
        try:
            async with resumable(services, record.key, record.kind, delivery):
                if isinstance(delivery, IncomingMessage):
                    await answer_message(delivery, services)
                else:
                    await answer_action(delivery, services)
        except Exception:  # finished by resumable: not tried again
            log.exception("resume_failed", key=record.key)
    return len(taken)


def _delivery(record: InflightRecord) -> IncomingMessage | CardAction:
    if record.kind == "message":
        return message_from_payload(record.payload)
    if record.kind == "card":
        return action_from_payload(record.payload)
    raise ValueError(f"cannot resume a delivery of kind {record.kind!r}")


async def _give_up(delivery: IncomingMessage | CardAction, services: Services) -> None:
    """Tell the user to send it again (a reply to the message, or a message in the chat)."""
    if isinstance(delivery, IncomingMessage):
        ctx = Context(
            services, delivery.chat_id, delivery.sender_open_id, f"{delivery.dedupe_key}:gave-up"
        )
        ctx.message = delivery
        await ctx.reply(t("notice.interrupted", services.lang, command=delivery.text[:80]))
        return
    action_ctx = ActionContext(
        services, delivery.chat_id, delivery.operator_open_id, f"{delivery.dedupe_key}:gave-up"
    )
    await action_ctx.send(t("notice.interrupted", services.lang, command=delivery.name))
