"""Redis goes down and comes back: claims and leases fall back to the shared SQL tables.

A private ``redis-server`` per test (killed and restarted on the same port) and two
stores sharing one PostgreSQL database stand for two replicas.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.state import Store, failover, open_store

RETRY_AFTER = 0.3  # seconds the database answers alone after a Redis failure


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class PrivateRedis:
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _answers(self.port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(5)
            self.process = None


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis(_free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def two_replicas(
    private_redis: PrivateRedis, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Store, Store]]:
    monkeypatch.setattr(failover, "RETRY_AFTER_SECONDS", RETRY_AFTER)
    stores = (
        open_store(pg_url, redis_url=private_redis.url),
        open_store(pg_url, redis_url=private_redis.url, run_migrations=False),
    )
    yield stores
    for store in stores:
        store.close()


async def test_claims_stay_once_across_replicas_while_redis_is_down(
    private_redis: PrivateRedis, two_replicas: tuple[Store, Store]
) -> None:
    a, b = two_replicas
    assert await a.dedupe.claim("om_before")
    assert not await b.dedupe.claim("om_before")  # Redis answered for both

    private_redis.stop()
    results = [await store.dedupe.claim("om_during") for store in (a, b, a, b)]
    assert results == [True, False, False, False]

    private_redis.start()  # an empty Redis on the same port: the stores go back to it
    time.sleep(RETRY_AFTER)
    assert await b.dedupe.claim("om_after")
    assert not await a.dedupe.claim("om_after")
    assert a.redis is not None
    assert await a.redis.client.exists(a.redis.key("dedupe", "om_after")) == 1


async def test_a_claim_given_back_while_redis_is_down_can_be_claimed_again(
    private_redis: PrivateRedis, two_replicas: tuple[Store, Store]
) -> None:
    a, b = two_replicas
    private_redis.stop()
    assert await a.dedupe.claim("alertmanager:during")  # taken in SQL
    await a.dedupe.release("alertmanager:during")  # given back in SQL despite Redis down
    assert await b.dedupe.claim("alertmanager:during")

    private_redis.start()  # an empty Redis on the same port
    time.sleep(RETRY_AFTER)
    assert await a.dedupe.claim("alertmanager:after")
    await a.dedupe.release("alertmanager:after")
    assert await b.dedupe.claim("alertmanager:after")
    assert not await a.dedupe.claim("alertmanager:after")


async def test_one_leader_before_during_and_after_an_outage(
    private_redis: PrivateRedis, two_replicas: tuple[Store, Store]
) -> None:
    a, b = two_replicas
    ttl = timedelta(seconds=30)
    assert await a.leases.acquire("scheduler", "a", ttl)
    assert not await b.leases.acquire("scheduler", "b", ttl)

    private_redis.stop()
    # The Redis lease is unreachable: the SQL lease decides, and only one replica gets it.
    first = await b.leases.acquire("scheduler", "b", ttl)
    second = await a.leases.acquire("scheduler", "a", ttl)
    assert (first, second) == (True, False)
    assert await b.leases.acquire("scheduler", "b", ttl)  # renewing works in SQL too

    await b.leases.release("scheduler", "b")  # releases the SQL lease despite Redis down
    assert await a.leases.acquire("scheduler", "a", ttl)

    private_redis.start()
    time.sleep(RETRY_AFTER)
    assert await a.leases.acquire("scheduler", "a", ttl)
    assert not await b.leases.acquire("scheduler", "b", ttl)
    assert a.redis is not None and await a.redis.client.get(a.redis.key("lease", "scheduler"))


async def test_a_hung_redis_costs_one_timeout_then_the_database_answers(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server that accepts connections and never answers (a hung Redis).
    monkeypatch.setattr(failover, "RETRY_AFTER_SECONDS", 60.0)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    store = open_store(pg_url, redis_url=f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
    try:
        started = time.monotonic()
        assert await store.dedupe.claim("om_hung_1")  # waits out one socket timeout
        first = time.monotonic() - started
        started = time.monotonic()
        results = [await store.dedupe.claim(f"om_hung_{i}") for i in range(2, 12)]
        rest = time.monotonic() - started
    finally:
        store.close()
        silent.close()
    assert results == [True] * 10
    assert first >= 1.0  # it did wait for Redis once
    assert rest < first  # ten more claims without waiting for Redis again
