"""Per-chat send pacing (Feishu allows 5 QPS per chat, shared by all bots in it)."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

__all__ = ["Pacer", "LocalPacer"]


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
