"""The housekeeping job: runs on the scheduler's leader only, every task every firing,
and the scheduler's own run records expire only after their look-back."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.scheduler import (
    JobRun,
    JobScheduler,
    ScheduledJob,
    housekeeping_job,
    parse_schedule,
    trigger_for,
)
from bot.scheduler.housekeeping import HOUSEKEEPING_JOB
from bot.state import Store, open_store
from tests.bot.state.conftest import frozen, propose
from tests.push.conftest import FrozenClock

STALE_AFTER = timedelta(minutes=15)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 3, 2, 9, 0, 20, tzinfo=UTC))


@pytest.fixture
def stores(tmp_path: Path, clock: FrozenClock) -> Iterator[list[Store]]:
    """Two replicas' stores on one database."""
    url = f"sqlite:///{tmp_path / 'state.db'}"
    opened = [open_store(url), open_store(url)]
    yield [frozen(s, clock) for s in opened]
    for s in opened:
        s.close()


def store_housekeeping(store: Store, calls: list[str]) -> ScheduledJob:
    async def interrupt() -> int:
        calls.append(store.engine.url.database or "")
        return len(await store.approvals.interrupt_stale(STALE_AFTER))

    return housekeeping_job({"expired_kv": store.kv.purge, "interrupted_applies": interrupt})


async def stale_apply(store: Store, clock: FrozenClock) -> str:
    action_id = await propose(store)
    assert await store.approvals.claim(action_id, "ou_approver", "applying") == "claimed"
    clock.advance(minutes=20)
    return action_id


async def status(store: Store, action_id: str) -> str:
    record = await store.approvals.get(action_id)
    assert record is not None
    return record.status


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_only_the_leader_runs_housekeeping(stores: list[Store], clock: FrozenClock) -> None:
    action_id = await stale_apply(stores[0], clock)  # now 09:20:20
    await stores[0].kv.put("alert:old", "m", ttl=timedelta(seconds=1))
    clock.advance(minutes=1)
    calls: list[list[str]] = [[], []]
    jobs = [store_housekeeping(s, c) for s, c in zip(stores, calls, strict=True)]

    async def source(i: int) -> list[ScheduledJob]:
        return [jobs[i]]

    leader, follower = (
        JobScheduler(stores[i], lambda i=i: source(i), holder=name, clock=clock)
        for i, name in enumerate(("leader", "follower"))
    )
    assert await stores[0].leases.acquire("scheduler", "leader", timedelta(minutes=5))
    assert await follower.lease.renew() is False
    assert await follower.tick() == []
    assert calls == [[], []]
    assert await status(stores[1], action_id) == "applying"
    assert await stores[1].kv.get("alert:old") is None  # expired, but still stored

    assert await leader.lease.renew() is True  # elected: runs what is due at once

    async def swept() -> bool:
        return await status(stores[0], action_id) == "interrupted"

    await eventually(swept)
    assert len(calls[0]) == 1 and calls[1] == []
    assert await stores[0].kv.purge() == 0  # the leader's run purged it already
    assert await leader.tick() == []  # once per firing

    clock.advance(minutes=5)
    assert await follower.tick() == []
    assert await leader.tick() == [f"{HOUSEKEEPING_JOB}@2026-03-02T09:25:00Z"]
    assert len(calls[0]) == 2 and calls[1] == []


async def test_a_failing_task_does_not_stop_the_others() -> None:
    done: list[str] = []

    async def broken() -> int:
        raise RuntimeError("database away")

    async def purge() -> int:
        done.append("purge")
        return 3

    job = housekeeping_job({"broken": broken, "purge": purge}, every=timedelta(minutes=5))
    at = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
    await job.run(JobRun(job.id, at, f"{job.id}@x"))
    assert done == ["purge"]
    assert job.grace == timedelta(minutes=5)
    nxt = job.trigger.get_next_fire_time(None, at + timedelta(seconds=1))
    assert nxt == datetime(2026, 3, 2, 9, 10, tzinfo=UTC)


def test_the_interval_must_be_at_least_a_second() -> None:
    with pytest.raises(ValueError, match="at least a second"):
        housekeeping_job({}, every=timedelta(milliseconds=500))


async def test_run_records_outlive_the_look_back_and_are_purged_later(
    stores: list[Store], clock: FrozenClock
) -> None:
    store = stores[0]
    runs: list[str] = []

    async def digest(run: JobRun) -> None:
        runs.append(run.run_id)

    job = ScheduledJob("digest", trigger_for(parse_schedule("daily 09:00"), "UTC"), digest)
    scheduler = JobScheduler(store, lambda: _one(job), clock=clock, grace=timedelta(minutes=30))
    assert await scheduler.lease.renew()
    assert await scheduler.run_due([job]) == ["digest@2026-03-02T09:00:00Z"]
    clock.advance(minutes=29)  # still inside the look-back: the record must be there
    assert await store.kv.purge() == 0
    assert await scheduler.run_due([job]) == []
    assert runs == ["digest@2026-03-02T09:00:00Z"]

    clock.advance(days=2)
    assert await store.kv.purge() == 1
    assert await scheduler.ledger.get("digest@2026-03-02T09:00:00Z") is None


async def _one(job: ScheduledJob) -> list[ScheduledJob]:
    return [job]
