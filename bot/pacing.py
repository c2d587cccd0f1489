"""Per-chat send pacing (Feishu allows 5 QPS per chat, shared by all bots in it)."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Protocol

import structlog
from redis.exceptions import RedisError

if TYPE_CHECKING:
    from bot.state.redis_connection import RedisConnection

__all__ = ["Pacer", "LocalPacer", "RedisPacer"]

log = structlog.get_logger(__name__)


class Pacer(Protocol):
    async def wait(self, key: str) -> None: ...


class LocalPacer:
    """Spaces sends to one chat at least ``1/qps`` seconds apart, in this process."""

    def __init__(self, qps: float) -> None:
        self._interval = 1.0 / qps
        self._next: dict[str, float] = {}
        self._lock = asyncio.Lock()

    async def wait(self, key: str) -> None:
        async with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(key, 0.0))
            self._next[key] = slot + self._interval
            if len(self._next) > 10_000:
                self._next = {k: v for k, v in self._next.items() if v > now}
        delay = slot - now
        if delay > 0:
            await asyncio.sleep(delay)


# One atomic step per send: take the chat's next free slot (on Redis's own clock, so
# replicas with skewed clocks agree), book the one after it, answer the wait in µs.
NEXT_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local booked = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, booked)
local after = slot + interval
local keep = math.ceil((after - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', keep)
return string.format('%.0f', slot - now)
"""


class RedisPacer:
    """Per-chat slots shared by every replica, so together they keep ≤ ``qps`` per chat.

    When Redis fails, this replica falls back to pacing on its own (a brief overshoot
    across replicas beats dropping the reply).
    """

    def __init__(self, redis: RedisConnection, qps: float) -> None:
        if qps <= 0:
            raise ValueError(f"qps must be positive, got {qps}")
        self._redis = redis
        self._interval_us = round(1_000_000 / qps)
        self._script = redis.client.register_script(NEXT_SLOT)
        self._fallback = LocalPacer(qps)

    async def wait(self, key: str) -> None:
        try:
            waited = await self._script(
                keys=[self._redis.key("pace", key)], args=[self._interval_us]
            )
        except (RedisError, OSError) as exc:
            log.warning("redis_pacer_unavailable", error=type(exc).__name__)
            await self._fallback.wait(key)
            return
        delay = int(waited) / 1_000_000
        if delay > 0:
            await asyncio.sleep(delay)
