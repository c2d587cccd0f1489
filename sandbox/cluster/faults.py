"""Recorded requests and injected faults (a status code, or a hang) by path pattern."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RecordedRequest", "Fault"]


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    content_type: str
    raw_body: bytes

    @property
    def body(self) -> Any:
        return json.loads(self.raw_body) if self.raw_body else None


@dataclass
class Fault:
    """Answer requests whose path matches ``pattern`` with ``status`` after ``hang`` s."""

    pattern: str
    method: str | None = None
    status: int = 500
    hang: float = 0.0
    times: int | None = None  # None: every time
    skip: int = 0  # let this many matching requests through first
    seen: int = field(default=0)
    hits: int = field(default=0)

    def take(self, method: str, path: str) -> bool:
        """Whether this request gets the fault (counts matching requests)."""
        if self.method is not None and self.method != method:
            return False
        if re.search(self.pattern, path) is None:
            return False
        self.seen += 1
        if self.seen <= self.skip or (self.times is not None and self.hits >= self.times):
            return False
        self.hits += 1
        return True
