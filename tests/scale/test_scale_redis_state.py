"""Redis claims, leases and pacing against the real Redis, as several replicas see them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.pacing import RedisPacer
from bot.state.redis_connection import RedisConnection, connect_redis
from bot.state.redis_dedupe import RedisDedupe
from bot.state.redis_leases import RedisLeases
from tests.scale.conftest import REDIS_URL


@pytest.fixture
async def replica_links(redis_prefix: str) -> AsyncIterator[list[RedisConnection]]:
    """Three independent connections, one per simulated replica."""
    links = [connect_redis(REDIS_URL, redis_prefix) for _ in range(3)]
    yield links
    for link in links:
        await link.client.aclose()


async def test_a_key_is_claimed_once_across_replicas(replica_links: list[RedisConnection]):
    claims = [RedisDedupe(link) for link in replica_links]
    results = await asyncio.gather(*(claims[i % 3].claim("msg:om_same") for i in range(30)))
    assert sorted(results) == [False] * 29 + [True]
    assert await claims[0].claim("msg:om_other") is True


async def test_a_claim_expires_after_the_dedupe_window(replica_links: list[RedisConnection]):
    link = replica_links[0]
    dedupe = RedisDedupe(link, ttl=timedelta(hours=24))
    assert await dedupe.claim("evt:window", "card")
    remaining = await link.client.ttl(link.key("dedupe", "evt:window"))
    assert 24 * 3600 - 5 <= remaining <= 24 * 3600
    assert await link.client.get(link.key("dedupe", "evt:window")) == "card"

    short = RedisDedupe(link, ttl=timedelta(seconds=1))
    assert await short.claim("evt:short")
    await asyncio.sleep(1.2)
    assert await short.claim("evt:short") is True


async def test_a_lease_has_one_holder_and_moves_only_after_it_expires(
    replica_links: list[RedisConnection],
) -> None:
    a, b, c = (RedisLeases(link) for link in replica_links)
    ttl = timedelta(milliseconds=600)
    results = await asyncio.gather(
        *(x.acquire("leader", f"h{i}", ttl) for i, x in enumerate((a, b, c)))
    )
    assert results.count(True) == 1
    winner = results.index(True)
    holder = f"h{winner}"
    others = [f"h{i}" for i in range(3) if i != winner]
    assert await a.holder("leader") == holder
    assert await b.acquire("leader", holder, ttl) is True  # renewal by the holder
    assert await c.acquire("leader", others[0], ttl) is False
    await asyncio.sleep(0.8)  # the holder stops renewing, as a killed process would
    assert await b.acquire("leader", others[0], ttl) is True
    assert await a.acquire("leader", holder, ttl) is False  # the old holder cannot renew


async def test_release_frees_only_the_holders_lease(replica_links: list[RedisConnection]):
    leases = RedisLeases(replica_links[0])
    ttl = timedelta(seconds=30)
    assert await leases.acquire("jobs", "alpha", ttl)
    await leases.release("jobs", "beta")
    assert await leases.holder("jobs") == "alpha"
    await leases.release("jobs", "alpha")
    assert await leases.holder("jobs") is None
    assert await leases.acquire("jobs", "beta", ttl)


async def test_replicas_together_keep_the_per_chat_rate(replica_links: list[RedisConnection]):
    qps = 20.0
    pacers = [RedisPacer(link, qps) for link in replica_links]
    done: list[float] = []

    async def send(pacer: RedisPacer) -> None:
        await pacer.wait("oc_busy_chat")
        done.append(time.monotonic())

    started = time.monotonic()
    await asyncio.gather(*(send(pacers[i % 3]) for i in range(12)))
    done.sort()
    gaps = [later - earlier for earlier, later in zip(done, done[1:], strict=False)]
    # 12 sends at 20/s need at least 11 intervals of 50 ms, whichever replica sends them.
    assert done[-1] - started >= 11 / qps - 0.02
    assert sum(1 for g in gaps if g < 1 / qps / 2) <= 1  # no bursts (scheduler jitter aside)


async def test_other_chats_are_not_held_back(replica_links: list[RedisConnection]) -> None:
    pacer = RedisPacer(replica_links[0], 2.0)
    started = time.monotonic()
    await asyncio.gather(*(pacer.wait(f"oc_chat_{i}") for i in range(20)))
    assert time.monotonic() - started < 0.5  # one send per chat: no interval to wait


async def test_the_pacer_falls_back_to_local_pacing_when_redis_is_down() -> None:
    dead = connect_redis("redis://127.0.0.1:1/0", "cloudops-test-dead:")
    pacer = RedisPacer(dead, 10.0)
    started = time.monotonic()
    for _ in range(3):
        await pacer.wait("oc_fallback")
    assert time.monotonic() - started >= 2 / 10.0 - 0.02
    await dead.client.aclose()
