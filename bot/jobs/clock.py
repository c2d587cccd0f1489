"""An injectable clock: scheduling decisions read the time through it (tests freeze it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["Clock", "system_clock"]

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, timezone-aware (UTC)."""
    return datetime.now(UTC)
