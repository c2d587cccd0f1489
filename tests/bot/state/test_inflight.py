"""Deliveries being answered: recorded with a lease, taken over once when it runs out."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.events import IncomingMessage, message_from_payload, to_payload
from bot.resumption import resumable
from bot.state import Store, open_store
from bot.state.models import InflightDelivery
from config.settings import load_settings

LEASE = timedelta(seconds=60)
GONE = timedelta(seconds=-1)  # a lease that already ran out: the holder died


@pytest.fixture
def two(state_url: str) -> Iterator[tuple[Store, Store]]:
    """Two replicas' stores on one database."""
    a = open_store(state_url)
    b = open_store(state_url, run_migrations=False)
    yield a, b
    a.close()
    b.close()


def _message(text: str = "/rca payments 30m") -> IncomingMessage:
    return IncomingMessage(
        "ev_1", "om_1", "oc_1", "group", "ou_1", "user", "text", text, ("ou_bot",), thread_id="t"
    )


def test_a_message_survives_its_payload() -> None:
    message = _message()
    assert message_from_payload(to_payload(message)) == message


async def test_a_live_lease_is_not_taken_and_a_dead_one_is_taken_once(
    two: tuple[Store, Store],
) -> None:
    a, b = two
    await a.inflight.begin("msg:live", "message", "{}", "replica-a", LEASE)
    await a.inflight.begin("msg:dead", "message", '{"x": 1}', "replica-a", GONE)

    taken_a, taken_b = await asyncio.gather(
        a.inflight.take_stale("replica-b", LEASE), b.inflight.take_stale("replica-c", LEASE)
    )
    taken = taken_a + taken_b
    assert [(r.key, r.payload, r.attempts) for r in taken] == [("msg:dead", '{"x": 1}', 2)]
    assert await a.inflight.take_stale("replica-d", LEASE) == []  # renewed by the taker

    assert not await a.inflight.renew("msg:dead", "replica-a", LEASE)  # no longer a's
    await a.inflight.finish("msg:dead")
    await a.inflight.finish("msg:live")
    assert await b.inflight.take_stale("replica-b", GONE) == []


async def test_release_lets_another_replica_take_over_at_once(store: Store) -> None:
    await store.inflight.begin("card:ev_9", "card", "{}", "replica-a", LEASE)
    assert await store.inflight.take_stale("replica-b", LEASE) == []
    await store.inflight.release("card:ev_9", "replica-a")
    taken = await store.inflight.take_stale("replica-b", LEASE)
    assert [r.key for r in taken] == ["card:ev_9"]


def _keys(store: Store) -> list[str]:
    with Session(store.engine) as session:
        return list(session.execute(select(InflightDelivery.key)).scalars())


async def test_resumable_forgets_an_answered_or_failed_delivery(store: Store) -> None:
    services = SimpleNamespace(store=store, settings=load_settings({}))
    async with resumable(services, "msg:ok", "message", _message()):  # type: ignore[arg-type]
        assert _keys(store) == ["msg:ok"]
        assert await store.inflight.take_stale("other", GONE) == []  # its lease is live
    with pytest.raises(RuntimeError):
        async with resumable(services, "msg:bad", "message", _message()):  # type: ignore[arg-type]
            raise RuntimeError("the answer failed")
    assert _keys(store) == []  # neither is left to resume


async def test_resumable_hands_over_a_cancelled_answer(store: Store) -> None:
    services = SimpleNamespace(store=store, settings=load_settings({}))
    started = asyncio.Event()

    async def answer() -> None:
        async with resumable(services, "msg:slow", "message", _message()):  # type: ignore[arg-type]
            started.set()
            await asyncio.sleep(60)

    task = asyncio.create_task(answer())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    taken = await store.inflight.take_stale("replica-b", LEASE)
    assert [(r.key, r.kind) for r in taken] == [("msg:slow", "message")]
    assert message_from_payload(taken[0].payload) == _message()
