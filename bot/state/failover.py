"""Keep claiming and electing when Redis is down: fall back to the SQL tables.

With Redis configured, delivery claims and leases live there. If Redis stops answering,
every replica sees the same failure, so each one switching to the shared SQL tables
keeps claims and leader election consistent between them: events are still answered
(once) and scheduled work still has one leader. After a failure the SQL tables answer
for ``RETRY_AFTER_SECONDS`` (a hung Redis would otherwise cost every call its timeout),
then Redis is tried again, so the store goes back to Redis by itself once it answers.
Around the switch, a claim taken in Redis just before the outage is not visible in SQL,
so a redelivery in that moment can be answered twice; answering twice is preferred to
answering never. While the replicas disagree on whether Redis is down (one failed, one
did not yet), each side still claims once, but the two sides do not see each other.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import structlog
from redis.exceptions import RedisError

from bot.state.coordination import Dedupe, Leases

__all__ = ["FailoverDedupe", "FailoverLeases", "RedisSwitch"]

log = structlog.get_logger(__name__)

T = TypeVar("T")

UNAVAILABLE = (RedisError, OSError)
RETRY_AFTER_SECONDS = 10.0


class RedisSwitch:
    """Redis answers unless it failed less than ``RETRY_AFTER_SECONDS`` ago; one per Redis,
    shared by the claims and the leases, so that one failure switches both."""

    def __init__(self) -> None:
        self._down_until = 0.0

    async def first_answer(
        self, what: str, primary: Callable[[], Awaitable[T]], fallback: Callable[[], Awaitable[T]]
    ) -> T:
        if time.monotonic() < self._down_until:
            return await fallback()
        try:
            return await primary()
        except UNAVAILABLE as error:
            self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            log.warning("redis_unavailable_using_sql", operation=what, error=type(error).__name__)
            return await fallback()


class FailoverDedupe:
    """Claims in ``primary`` (Redis); in ``fallback`` (SQL) while Redis fails."""

    def __init__(self, primary: Dedupe, fallback: Dedupe, switch: RedisSwitch) -> None:
        self.primary = primary
        self.fallback = fallback
        self._switch = switch

    async def claim(self, key: str, kind: str = "event") -> bool:
        return await self._switch.first_answer(
            "claim",
            lambda: self.primary.claim(key, kind),
            lambda: self.fallback.claim(key, kind),
        )

    async def release(self, key: str) -> None:
        """Release in both: a claim taken during an outage lives in SQL."""
        await self.fallback.release(key)
        try:
            await self.primary.release(key)
        except UNAVAILABLE as error:
            log.warning("redis_unavailable_on_release", error=type(error).__name__)

    async def purge(self, older_than: timedelta) -> int:
        """Purge the SQL claims taken during outages (Redis claims expire by themselves)."""
        return await self.fallback.purge(older_than)


class FailoverLeases:
    """Leases in ``primary`` (Redis); in ``fallback`` (SQL) while Redis fails."""

    def __init__(self, primary: Leases, fallback: Leases, switch: RedisSwitch) -> None:
        self.primary = primary
        self.fallback = fallback
        self._switch = switch

    async def acquire(self, name: str, holder: str, ttl: timedelta) -> bool:
        return await self._switch.first_answer(
            "lease",
            lambda: self.primary.acquire(name, holder, ttl),
            lambda: self.fallback.acquire(name, holder, ttl),
        )

    async def release(self, name: str, holder: str) -> None:
        """Release in both: a lease taken during an outage lives in SQL."""
        await self.fallback.release(name, holder)
        try:
            await self.primary.release(name, holder)
        except UNAVAILABLE as error:
            log.warning("redis_unavailable_on_release", error=type(error).__name__)
