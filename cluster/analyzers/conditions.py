"""Helpers the analyzers of custom resources share: status conditions, ages, short text."""

from __future__ import annotations

from datetime import datetime

from cluster.snapshot import Json

__all__ = ["condition", "seconds_since", "short"]

MESSAGE_CHARS = 200  # of a controller's message in evidence


def condition(obj: Json, kind: str) -> Json:
    """The status condition of type ``kind``; ``{}`` when there is none."""
    conditions = (obj.get("status") or {}).get("conditions") or []
    return next((c for c in conditions if isinstance(c, dict) and c.get("type") == kind), {})


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
