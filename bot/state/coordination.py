"""What the short-lived coordination state offers, whichever engine holds it (SQL, Redis,
or Redis with the SQL tables as its fallback): at-most-once claims and leases."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

__all__ = ["Dedupe", "Leases"]


class Dedupe(Protocol):
    async def claim(self, key: str, kind: str = "event") -> bool: ...

    async def purge(self, older_than: timedelta) -> int: ...


class Leases(Protocol):
    async def acquire(self, name: str, holder: str, ttl: timedelta) -> bool: ...

    async def release(self, name: str, holder: str) -> None: ...
