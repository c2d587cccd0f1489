"""Named leases in Redis: ``SET NX PX`` to take, compare-and-renew / -delete in Lua."""

from __future__ import annotations

from datetime import timedelta

from bot.state.redis_connection import RedisConnection

__all__ = ["RedisLeases"]

# Extend the lease only while ``holder`` still owns it (never resurrect someone else's).
RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def _millis(ttl: timedelta) -> int:
    millis = int(ttl.total_seconds() * 1000)
    if millis < 1:
        raise ValueError(f"lease ttl must be positive, got {ttl}")
    return millis


class RedisLeases:
    def __init__(self, redis: RedisConnection) -> None:
        self._redis = redis
        self._renew = redis.client.register_script(RENEW)
        self._release = redis.client.register_script(RELEASE)

    def _key(self, name: str) -> str:
        return self._redis.key("lease", name)

    async def acquire(self, name: str, holder: str, ttl: timedelta) -> bool:
        """Take or renew ``name`` for ``holder``; False while someone else holds it."""
        millis = _millis(ttl)
        key = self._key(name)
        if await self._redis.client.set(key, holder, nx=True, px=millis):
            return True
        return bool(await self._renew(keys=[key], args=[holder, millis]))

    async def release(self, name: str, holder: str) -> None:
        await self._release(keys=[self._key(name)], args=[holder])

    async def holder(self, name: str) -> str | None:
        """Who holds ``name`` now (None when free)."""
        value = await self._redis.client.get(self._key(name))
        return None if value is None else str(value)
