"""What the short-lived coordination state offers, whichever engine holds it (SQL, Redis,
or Redis with the SQL tables as its fallback): at-most-once claims and leases.

``Dedupe.claim`` is the one de-duplication primitive: every delivery, click, job run and
Alertmanager notification that must be handled once is claimed through it, atomically
(an INSERT on a primary key, or ``SET NX``), never by reading first and writing after.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

__all__ = ["Dedupe", "Leases"]


class Dedupe(Protocol):
    async def claim(self, key: str, kind: str = "event") -> bool:
        """True for exactly one caller per ``key`` (within the dedupe window)."""
        ...

    async def release(self, key: str) -> None:
        """Give a claim back: the work it guarded failed, so a retry may claim again."""
        ...

    async def purge(self, older_than: timedelta) -> int: ...


class Leases(Protocol):
    async def acquire(self, name: str, holder: str, ttl: timedelta) -> bool: ...

    async def release(self, name: str, holder: str) -> None: ...
