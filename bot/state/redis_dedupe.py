"""At-most-once claims in Redis: ``SET NX EX``, expiring after the dedupe window."""

from __future__ import annotations

from datetime import timedelta

from bot.state.redis_connection import RedisConnection

__all__ = ["RedisDedupe"]


class RedisDedupe:
    """``claim(key)`` is True once per key within ``ttl``, across every replica."""

    def __init__(self, redis: RedisConnection, ttl: timedelta = timedelta(hours=24)) -> None:
        seconds = int(ttl.total_seconds())
        if seconds < 1:
            raise ValueError(f"dedupe ttl must be at least one second, got {ttl}")
        self._redis = redis
        self._ttl = seconds

    async def claim(self, key: str, kind: str = "event") -> bool:
        done = await self._redis.client.set(
            self._redis.key("dedupe", key[:200]), kind, nx=True, ex=self._ttl
        )
        return bool(done)

    async def release(self, key: str) -> None:
        await self._redis.client.delete(self._redis.key("dedupe", key[:200]))

    async def purge(self, older_than: timedelta) -> int:
        """Nothing to do: every claim expires on its own after the dedupe window."""
        return 0
