"""Actions left ``applying`` by a dead process become ``interrupted``; nothing else does."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.state import Store, open_store
from tests.bot.state.conftest import frozen, propose
from tests.push.conftest import FrozenClock

STALE_AFTER = timedelta(minutes=15)


async def status(store: Store, action_id: str) -> str:
    record = await store.approvals.get(action_id)
    assert record is not None
    return record.status


async def test_only_an_apply_older_than_the_age_is_interrupted(
    store: Store, clock: FrozenClock
) -> None:
    stale, fresh, applied, pending = [await propose(store) for _ in range(4)]
    assert await store.approvals.claim(stale, "ou_approver", "applying") == "claimed"
    assert await store.approvals.claim(applied, "ou_approver", "applying") == "claimed"
    await store.approvals.finish(applied, "applied", "{}")
    clock.advance(minutes=10)
    assert await store.approvals.claim(fresh, "ou_approver", "applying") == "claimed"
    clock.advance(minutes=5, seconds=1)  # stale: 15 min 1 s since approval; fresh: 5 min 1 s

    moved = await store.approvals.interrupt_stale(STALE_AFTER)

    assert [r.id for r in moved] == [stale]
    assert moved[0].status == "interrupted" and moved[0].decided_by == "ou_approver"
    assert await status(store, stale) == "interrupted"
    assert await status(store, fresh) == "applying"
    assert await status(store, applied) == "applied"
    assert await status(store, pending) == "pending"
    assert await store.approvals.interrupt_stale(STALE_AFTER) == []  # moved once only


async def test_an_interrupted_plan_cannot_be_approved_again(
    store: Store, clock: FrozenClock
) -> None:
    action_id = await propose(store)
    assert await store.approvals.claim(action_id, "ou_approver", "applying") == "claimed"
    clock.advance(minutes=20)
    assert [r.id for r in await store.approvals.interrupt_stale(STALE_AFTER)] == [action_id]
    assert await store.approvals.claim(action_id, "ou_other", "applying") == "already_interrupted"
    assert await store.approvals.claim(action_id, "ou_other", "rejected") == "already_interrupted"
    record = await store.approvals.get(action_id)
    assert record is not None and (record.status, record.decided_by) == (
        "interrupted",
        "ou_approver",
    )


async def test_replicas_sweeping_at_once_move_each_action_once(
    state_url: str, store: Store, clock: FrozenClock
) -> None:
    ids = [await propose(store) for _ in range(5)]
    for action_id in ids:
        assert await store.approvals.claim(action_id, "ou_approver", "applying") == "claimed"
    clock.advance(minutes=16)
    replicas = [frozen(open_store(state_url), clock) for _ in range(3)]
    try:
        sweeps = await asyncio.gather(
            *(r.approvals.interrupt_stale(STALE_AFTER) for r in replicas for _ in range(2))
        )
    finally:
        for replica in replicas:
            replica.close()
    moved = [record.id for sweep in sweeps for record in sweep]
    assert sorted(moved) == sorted(ids)
