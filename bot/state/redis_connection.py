"""One Redis client and the key prefix every scale-out key lives under."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

__all__ = ["RedisConnection", "connect_redis", "key_prefix", "DEFAULT_PREFIX"]

DEFAULT_PREFIX = "cloudops:"
CONNECT_TIMEOUT_SECONDS = 2.0
TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class RedisConnection:
    """A ``redis.asyncio`` client (strings in, strings out) and the namespace of our keys."""

    client: Redis
    prefix: str = DEFAULT_PREFIX

    def key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    async def ping(self, timeout: float = 2.0) -> None:
        """Raise when Redis does not answer within ``timeout`` seconds (readiness probe)."""
        await asyncio.wait_for(self.client.ping(), timeout)

    async def disconnect(self) -> None:
        """Close pooled connections; the client reconnects on next use (in any event loop)."""
        await self.client.connection_pool.disconnect()


def connect_redis(url: str, prefix: str = DEFAULT_PREFIX) -> RedisConnection:
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("REDIS_URL must start with redis://, rediss:// or unix://")
    if not prefix:
        raise ValueError("the Redis key prefix must not be empty")
    # Bounded waits: a hung Redis must fail over (bot.state.failover), not stall workers.
    client = Redis.from_url(
        url,
        decode_responses=True,
        health_check_interval=30,
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_timeout=TIMEOUT_SECONDS,
    )
    return RedisConnection(client, prefix)


def key_prefix(extra: Mapping[str, Any]) -> str:
    """The prefix from the YAML section ``redis: {key_prefix: ...}``, or the default."""
    section = extra.get("redis") or {}
    if not isinstance(section, Mapping):
        raise ValueError("the YAML section 'redis' must be a mapping")
    return str(section.get("key_prefix") or DEFAULT_PREFIX)
