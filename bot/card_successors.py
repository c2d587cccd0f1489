"""Which message now shows a card that became too old to update.

Feishu updates a message for 14 days only (error 230031); after that the messenger answers
the old card with a reply carrying the new content and records it here, so that every later
update of the old card (a resolved alert, a finished rollout, another replica, a restart)
goes to the reply instead of posting yet another one. A reply too old in turn gets its own
successor: lookups follow the chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

__all__ = ["CardSuccessors", "MemorySuccessors", "StoredSuccessors", "KeyValues", "latest"]

KEEP = timedelta(days=90)  # how long a successor is remembered (cards updated that late: rare)
MAX_HOPS = 16


class CardSuccessors(Protocol):
    async def get(self, message_id: str) -> str | None: ...

    async def put(self, message_id: str, successor: str) -> None: ...


@dataclass
class MemorySuccessors:
    """One process's memory (a messenger without a store: CLI tools, tests)."""

    known: dict[str, str] = field(default_factory=dict)

    async def get(self, message_id: str) -> str | None:
        return self.known.get(message_id)

    async def put(self, message_id: str, successor: str) -> None:
        self.known[message_id] = successor


class KeyValues(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, value: str, *, ttl: timedelta) -> None: ...


@dataclass
class StoredSuccessors:
    """Shared by every replica and kept across restarts, in the state store."""

    kv: KeyValues

    async def get(self, message_id: str) -> str | None:
        return await self.kv.get(f"card.successor:{message_id}")

    async def put(self, message_id: str, successor: str) -> None:
        await self.kv.put(f"card.successor:{message_id}", successor, ttl=KEEP)


async def latest(successors: CardSuccessors, message_id: str) -> str:
    """The message that shows ``message_id``'s card now (itself when never replaced)."""
    current, seen = message_id, {message_id}
    for _ in range(MAX_HOPS):
        nxt = await successors.get(current)
        if nxt is None or nxt in seen:
            break
        current = nxt
        seen.add(nxt)
    return current
