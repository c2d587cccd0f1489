"""Reading ``status.conditions`` the way the extension kinds (Gateway API, CRDs) report
their state: the condition of one type, and its text cut for evidence."""

from __future__ import annotations

from collections.abc import Iterable

from cluster.snapshot import Json

__all__ = ["MAX_MESSAGE", "condition", "cut"]

MAX_MESSAGE = 300  # characters of a controller's message kept as evidence


def condition(conditions: Iterable[Json] | None, kind: str) -> Json:
    """The condition of type ``kind``; ``{}`` when there is none."""
    return next((c for c in conditions or () if c.get("type") == kind), {})


def cut(text: object) -> str:
    value = str(text or "")
    return value if len(value) <= MAX_MESSAGE else value[: MAX_MESSAGE - 1] + "…"
