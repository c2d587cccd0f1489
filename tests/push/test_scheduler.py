"""Leader-locked job runs: once across replicas, handed over when the leader dies."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from bot.messenger import Messenger
from bot.scheduler import (
    JobRun,
    JobScheduler,
    ScheduledJob,
    fire_times,
    parse_schedule,
    trigger_for,
)
from bot.state import Store, open_store
from sandbox.feishu import FakePlatform
from tests.push.conftest import FrozenClock, messenger_for

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("daily 9:00", "daily 09:00"),
        ("Weekdays 18:30", "weekdays 18:30"),
        ("every 6h", "every 6h"),
        ("every 30m", "every 30m"),
    ],
)
def test_schedules_parse_to_their_normal_text(text: str, normal: str) -> None:
    assert parse_schedule(text).text == normal


@pytest.mark.parametrize(
    "text", ["daily", "daily 25:00", "hourly 3", "every 5m", "every 8d", "every x", "a b c"]
)
def test_bad_schedules_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_schedule(text)


def test_weekday_schedule_skips_the_weekend() -> None:
    trigger = trigger_for(parse_schedule("weekdays 09:00"), "Asia/Shanghai")
    friday = datetime(2026, 3, 6, 0, 0, tzinfo=SHANGHAI)
    times = fire_times(trigger, friday, friday + timedelta(days=7))
    assert [t.strftime("%a %H:%M") for t in times] == [
        f"{day} 09:00" for day in ("Fri", "Mon", "Tue", "Wed", "Thu")
    ]


def test_intervals_are_anchored_so_every_replica_agrees() -> None:
    one = trigger_for(parse_schedule("every 6h"), "Asia/Shanghai")
    two = trigger_for(parse_schedule("every 6h"), "Asia/Shanghai")
    start = datetime(2026, 3, 2, 1, 0, tzinfo=SHANGHAI)
    times = fire_times(one, start, start + timedelta(days=1))
    assert times == fire_times(two, start, start + timedelta(days=1))
    assert [t.astimezone(SHANGHAI).hour for t in times] == [6, 12, 18, 0]


def sending_job(job_id: str, trigger: object, messenger: Messenger, chat: str) -> ScheduledJob:
    async def run(run: JobRun) -> None:
        await messenger.send(chat, f"run {run.run_id}", uuid=run.uuid)

    return ScheduledJob(job_id, trigger, run)  # type: ignore[arg-type]


async def test_a_job_fires_at_its_time_and_sends_once(
    platform: FakePlatform, store: Store, clock: FrozenClock
) -> None:
    trigger = trigger_for(parse_schedule("daily 09:00"), "Asia/Shanghai")
    job = sending_job("digest-1", trigger, messenger_for(platform), "oc_daily")
    scheduler = JobScheduler(store, lambda: _list(job), clock=clock)
    assert await scheduler.run_due([job]) == []  # 08:00 in Shanghai: not yet
    clock.advance(hours=1, seconds=20)
    ran = await scheduler.run_due([job])
    assert ran == ["digest-1@2026-03-02T01:00:00Z"]
    assert await scheduler.run_due([job]) == []
    clock.advance(minutes=10)
    assert await scheduler.run_due([job]) == []
    sent = platform.ledger.sent("oc_daily")
    assert [m.text for m in sent] == [f"run {ran[0]}"]


async def _list(*jobs: ScheduledJob) -> list[ScheduledJob]:
    return list(jobs)


def _source(job: ScheduledJob) -> Callable[[], Awaitable[list[ScheduledJob]]]:
    return lambda: _list(job)


async def test_a_missed_fire_time_is_caught_up_within_the_grace_only(
    platform: FakePlatform, store: Store, clock: FrozenClock
) -> None:
    trigger = trigger_for(parse_schedule("daily 09:00"), "Asia/Shanghai")
    job = sending_job("digest-2", trigger, messenger_for(platform), "oc_late")
    late = JobScheduler(store, lambda: _list(job), clock=clock, grace=timedelta(minutes=30))
    clock.advance(hours=1, minutes=40)  # 09:40: forty minutes late
    assert await late.run_due([job]) == []
    clock.advance(days=1, minutes=-30)  # 09:10 next day: within the grace
    assert await late.run_due([job]) == ["digest-2@2026-03-03T01:00:00Z"]
    assert len(platform.ledger.sent("oc_late")) == 1


async def test_two_schedulers_racing_on_one_store_run_each_firing_once(
    platform: FakePlatform, db_url: str, clock: FrozenClock
) -> None:
    stores = [open_store(db_url), open_store(db_url)]
    trigger = trigger_for(parse_schedule("every 30m"), "Asia/Shanghai")
    job = sending_job("scan", trigger, messenger_for(platform), "oc_race")
    schedulers = [JobScheduler(s, lambda: _list(job), clock=clock) for s in stores]
    clock.advance(seconds=1)
    results = await asyncio.gather(*(s.run_due([job]) for s in schedulers))
    assert sorted(len(r) for r in results) == [0, 1]
    assert len(platform.ledger.sent("oc_race")) == 1
    for s in stores:
        s.close()


async def test_only_the_lease_holder_runs_jobs_with_real_triggers(
    platform: FakePlatform, db_url: str
) -> None:
    messenger = messenger_for(platform)
    ran_by: dict[str, list[str]] = {}

    def job_for(name: str) -> ScheduledJob:
        async def run(run: JobRun) -> None:
            ran_by.setdefault(run.run_id, []).append(name)
            await messenger.send("oc_lease", run.run_id, uuid=run.uuid)

        trigger = IntervalTrigger(seconds=1, start_date=datetime(2026, 1, 1, tzinfo=UTC))
        return ScheduledJob("tick", trigger, run)

    stores = [open_store(db_url), open_store(db_url)]
    sources = {name: _source(job_for(name)) for name in ("a", "b")}
    schedulers = [
        JobScheduler(
            store,
            sources[name],
            holder=name,
            lease_ttl=timedelta(seconds=10),
            grace=timedelta(seconds=3),
            tick_every=timedelta(seconds=1),
        )
        for name, store in zip(("a", "b"), stores, strict=True)
    ]
    for scheduler in schedulers:
        await scheduler.start()

    def sent() -> list[str]:
        return [m.text for m in platform.ledger.sent("oc_lease")]

    deadline = asyncio.get_running_loop().time() + 10
    while len(ran_by) < 3 or len(sent()) < len(ran_by):  # three firings (one a second), sent
        assert asyncio.get_running_loop().time() < deadline, ran_by
        await asyncio.sleep(0.05)
    for scheduler in schedulers:
        await scheduler.stop()
    assert len(ran_by) >= 3
    assert all(len(names) == 1 for names in ran_by.values()), ran_by
    assert len({names[0] for names in ran_by.values()}) == 1  # one leader did everything
    texts = [m.text for m in platform.ledger.sent("oc_lease")]
    assert sorted(texts) == sorted(ran_by)
    for store in stores:
        store.close()


class CountedLeases:
    """A lease store that counts the attempts to take or renew a lease."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.count = 0

    async def acquire(self, name: str, holder: str, ttl: timedelta) -> bool:
        self.count += 1
        return bool(await self.inner.acquire(name, holder, ttl))

    async def release(self, name: str, holder: str) -> None:
        await self.inner.release(name, holder)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def wait_for(self, count: int, timeout: float = 10) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while self.count < count:
            assert asyncio.get_running_loop().time() < deadline, self.count
            await asyncio.sleep(0.02)


@pytest.mark.parametrize("crash_after_send", [False, True])
async def test_killing_the_leader_mid_run_hands_over_without_a_duplicate(
    platform: FakePlatform, db_url: str, clock: FrozenClock, crash_after_send: bool
) -> None:
    messenger = messenger_for(platform)
    started = asyncio.Event()
    runs: list[tuple[str, str]] = []

    def job_for(name: str) -> ScheduledJob:
        async def run(run: JobRun) -> None:
            runs.append((name, run.run_id))
            if name == "a":
                if crash_after_send:
                    await messenger.send("oc_failover", run.run_id, uuid=run.uuid)
                started.set()
                await asyncio.sleep(3600)  # hangs until killed
            await messenger.send("oc_failover", run.run_id, uuid=run.uuid)

        return ScheduledJob("digest", trigger_for(parse_schedule("daily 09:00"), "UTC"), run)

    clock.now = datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC)
    stores = [open_store(db_url), open_store(db_url)]
    ttl = timedelta(seconds=1)
    tries = CountedLeases(stores[1].leases)  # b's attempts to take the lease: the sentinel
    stores[1].leases = tries
    a = JobScheduler(stores[0], lambda: _list(job_for("a")), holder="a", lease_ttl=ttl, clock=clock)
    b = JobScheduler(stores[1], lambda: _list(job_for("b")), holder="b", lease_ttl=ttl, clock=clock)
    await a.start()
    await asyncio.wait_for(started.wait(), 5)
    await b.start()
    await tries.wait_for(2)  # b asked for the lease twice and was refused
    assert a.is_leader and not b.is_leader
    await a.stop(release=False)  # killed: no release, no state written
    deadline = asyncio.get_running_loop().time() + 6
    while not platform.ledger.sent("oc_failover") or len(runs) < 2:
        assert asyncio.get_running_loop().time() < deadline, runs
        await asyncio.sleep(0.05)
    await tries.wait_for(tries.count + 2)  # two more renewals: a second run would be due now
    await b.stop()
    assert runs == [("a", "digest@2026-03-02T09:00:00Z"), ("b", "digest@2026-03-02T09:00:00Z")]
    assert [m.text for m in platform.ledger.sent("oc_failover")] == [runs[0][1]]
    for store in stores:
        store.close()
