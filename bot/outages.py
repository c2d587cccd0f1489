"""When each failing dependency started failing, so an error card can say "since 14:02".

An outage of a dependency runs from its first failure until a call to it succeeds again
(``recovered``). Per process: each replica tells what it has seen itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["Outages"]


@dataclass
class Outages:
    _since: dict[str, datetime] = field(default_factory=dict)

    def failed(self, dependency: str, now: datetime) -> datetime:
        """Record a failure; returns the first failure of the current outage."""
        return self._since.setdefault(dependency, now)

    def recovered(self, dependency: str) -> None:
        self._since.pop(dependency, None)

    def since(self, dependency: str) -> datetime | None:
        return self._since.get(dependency)
