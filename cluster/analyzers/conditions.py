"""What the analyzers of extension kinds and custom resources share: their status
conditions, the age of a timestamp, and a controller's message cut for evidence."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cluster.snapshot import Json

__all__ = ["MAX_MESSAGE", "condition", "condition_in", "cut", "seconds_since", "short"]

MESSAGE_CHARS = 200  # of a controller's message in a one-line evidence
MAX_MESSAGE = 300  # characters of a controller's message kept as evidence


def condition_in(conditions: Iterable[Json] | None, kind: str) -> Json:
    """The condition of type ``kind`` among ``conditions``; ``{}`` when there is none."""
    return next((c for c in conditions or () if isinstance(c, dict) and c.get("type") == kind), {})


def condition(obj: Json, kind: str) -> Json:
    """The status condition of type ``kind`` of ``obj``; ``{}`` when there is none."""
    return condition_in((obj.get("status") or {}).get("conditions"), kind)


def seconds_since(stamp: object, now: datetime) -> float | None:
    """Seconds from an API timestamp (``2026-03-01T12:00:00Z``) to ``now``; None if unreadable."""
    if not isinstance(stamp, str) or not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (now - moment).total_seconds()


def short(text: object, limit: int = MESSAGE_CHARS) -> str:
    """One line of at most ``limit`` characters."""
    line = " ".join(str(text or "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def cut(text: object) -> str:
    """A message of at most ``MAX_MESSAGE`` characters (line breaks kept)."""
    value = str(text or "")
    return value if len(value) <= MAX_MESSAGE else value[: MAX_MESSAGE - 1] + "…"
