"""Times on cards: the configured timezone, "today 20:01" or "12-03 20:01"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from messages import t

__all__ = ["card_time"]


def card_time(when: datetime | None, timezone: str, lang: str, now: datetime | None) -> str:
    """``when`` in ``timezone``: seconds only when not zero, "today" when it is ``now``'s
    day there, else the month and day."""
    if when is None:
        return "—"
    tz = ZoneInfo(timezone)
    local = when.astimezone(tz)
    clock = local.strftime("%H:%M" if local.second == 0 else "%H:%M:%S")
    if now is not None and local.date() == now.astimezone(tz).date():
        return t("cards.today", lang, time=clock)
    return f"{local:%m-%d} {clock}"
