"""Digest schedules as people type them, and the APScheduler triggers behind them.

``daily 09:00``, ``weekdays 09:00`` (Monday to Friday) and ``every 6h`` (``30m`` … ``7d``).
Intervals are anchored at midnight of 2000-01-01 in the configured timezone, so every
replica computes the same fire times (``every 6h`` fires at 00:00, 06:00, 12:00, 18:00).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

__all__ = ["Schedule", "parse_schedule", "trigger_for", "fire_times", "DEFAULT_SCHEDULE"]

DEFAULT_SCHEDULE = "daily 09:00"
CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
EVERY = re.compile(r"^(\d{1,4})([mhd])$")
UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400}
SHORTEST, LONGEST = timedelta(minutes=30), timedelta(days=7)
ANCHOR = datetime(2000, 1, 1)


@dataclass(frozen=True)
class Schedule:
    kind: str  # "daily" | "weekdays" | "every"
    hour: int = 0
    minute: int = 0
    every: timedelta = timedelta(0)
    every_text: str = ""

    @property
    def text(self) -> str:
        if self.kind == "every":
            return f"every {self.every_text}"
        return f"{self.kind} {self.hour:02d}:{self.minute:02d}"


def parse_schedule(text: str) -> Schedule:
    """``"daily 9:00"`` → Schedule("daily", 9, 0); ValueError naming what is wrong."""
    words = text.strip().lower().split()
    if len(words) != 2:
        raise ValueError(
            f"a schedule is two words (daily HH:MM, weekdays HH:MM, every 6h): {text!r}"
        )
    kind, value = words
    if kind in ("daily", "weekdays"):
        match = CLOCK.match(value)
        if not match:
            raise ValueError(f"not a time of day (HH:MM): {value!r}")
        return Schedule(kind, int(match.group(1)), int(match.group(2)))
    if kind == "every":
        match = EVERY.match(value)
        if not match:
            raise ValueError(f"not an interval (30m, 6h, 1d): {value!r}")
        every = timedelta(seconds=int(match.group(1)) * UNIT_SECONDS[match.group(2)])
        if not SHORTEST <= every <= LONGEST:
            raise ValueError(f"interval {value!r} is out of range (30m to 7d)")
        return Schedule("every", every=every, every_text=value)
    raise ValueError(f"unknown schedule kind {kind!r} (daily, weekdays or every)")


def trigger_for(schedule: Schedule, timezone: str) -> BaseTrigger:
    tz = ZoneInfo(timezone)
    if schedule.kind == "every":
        return IntervalTrigger(
            seconds=int(schedule.every.total_seconds()),
            start_date=ANCHOR.replace(tzinfo=tz),
            timezone=tz,
        )
    return CronTrigger(
        hour=schedule.hour,
        minute=schedule.minute,
        day_of_week="mon-fri" if schedule.kind == "weekdays" else "*",
        timezone=tz,
    )


def fire_times(trigger: BaseTrigger, after: datetime, until: datetime) -> list[datetime]:
    """Every fire time ``t`` of ``trigger`` with ``after < t <= until``, oldest first."""
    if after.tzinfo is None or until.tzinfo is None:
        raise ValueError("after and until must be timezone-aware")
    found: list[datetime] = []
    cursor = after + timedelta(microseconds=1)
    while True:
        nxt = trigger.get_next_fire_time(None, cursor)
        if nxt is None or nxt > until:
            return found
        found.append(nxt)
        cursor = nxt + timedelta(microseconds=1)
