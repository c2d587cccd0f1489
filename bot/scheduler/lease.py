"""Leader election over a named lease in the state store, renewed every ttl/3.

Leadership is given up at once when a renewal fails (the store is unreachable or another
holder took over), so a partitioned replica stops acting before its lease expires.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Protocol

import structlog

__all__ = ["LeaderLease", "default_holder"]

log = structlog.get_logger(__name__)


class Leases(Protocol):
    """What the state store offers for leases (SQL or Redis)."""

    async def acquire(self, name: str, holder: str, ttl: timedelta) -> bool: ...

    async def release(self, name: str, holder: str) -> None: ...


def default_holder() -> str:
    """Unique per process: host, pid and a random suffix."""
    return f"{socket.gethostname()[:60]}-{os.getpid()}-{secrets.token_hex(3)}"


class LeaderLease:
    def __init__(
        self,
        leases: Leases,
        name: str = "scheduler",
        *,
        holder: str | None = None,
        ttl: timedelta = timedelta(seconds=30),
        on_elected: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        if ttl.total_seconds() <= 0:
            raise ValueError(f"lease ttl must be positive, got {ttl}")
        self.leases = leases
        self.name = name
        self.holder = holder or default_holder()
        self.ttl = ttl
        self.on_elected = on_elected
        self.is_leader = False
        self._task: asyncio.Task[None] | None = None

    async def renew(self) -> bool:
        """Take or renew the lease once; returns whether this process now leads."""
        try:
            held = await self.leases.acquire(self.name, self.holder, self.ttl)
        except Exception as exc:
            log.warning("lease_renew_failed", lease=self.name, error=type(exc).__name__)
            held = False
        elected = held and not self.is_leader
        if self.is_leader and not held:
            log.warning("leadership_lost", lease=self.name, holder=self.holder)
        self.is_leader = held
        if elected:
            log.info("leadership_acquired", lease=self.name, holder=self.holder)
            if self.on_elected:
                await self.on_elected()
        return held

    async def _loop(self) -> None:
        while True:
            try:
                await self.renew()
            except Exception:
                log.exception("lease_loop_error", lease=self.name)
            await asyncio.sleep(self.ttl.total_seconds() / 3)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name=f"lease:{self.name}")

    async def stop(self, *, release: bool = True) -> None:
        """Stop renewing; ``release=False`` abandons the lease as a crashed process would."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if release and self.is_leader:
            try:
                await self.leases.release(self.name, self.holder)
            except Exception as exc:
                log.warning("lease_release_failed", lease=self.name, error=type(exc).__name__)
        self.is_leader = False
