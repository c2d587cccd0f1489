"""One Redis client and the key prefix every scale-out key lives under."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from redis.asyncio import Redis

from config.sections import RedisSettings

__all__ = ["RedisConnection", "connect_redis", "DEFAULT_PREFIX"]

DEFAULT_PREFIX = RedisSettings.default().key_prefix  # defaults.yaml: redis.key_prefix
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
