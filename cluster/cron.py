"""Standard 5-field cron schedules as CronJobs use them: validate and find fire times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["CronSchedule", "parse_cron"]

_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))
_NAMES: tuple[dict[str, int], ...] = (
    {},
    {},
    {},
    {
        m: i + 1
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        )
    },
    {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])},
)
_SEARCH_DAYS = 366 * 5  # Feb 29 schedules fire within 4 years


@dataclass(frozen=True)
class CronSchedule:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    any_day: bool  # day-of-month field was "*"
    any_weekday: bool  # day-of-week field was "*"

    def _day_matches(self, day: datetime) -> bool:
        if day.month not in self.months:
            return False
        by_date = day.day in self.days
        by_weekday = (day.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return by_date and by_weekday
        return by_date or by_weekday  # cron's rule: either restricted field may match

    def next_after(self, moment: datetime) -> datetime | None:
        """The first fire time strictly after ``moment`` (minute precision)."""
        start = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        day = start.replace(hour=0, minute=0)
        for _ in range(_SEARCH_DAYS):
            if self._day_matches(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        candidate = day.replace(hour=hour, minute=minute)
                        if candidate >= start:
                            return candidate
            day += timedelta(days=1)
        return None

    def period(self, moment: datetime) -> timedelta | None:
        """The gap between the next two fire times after ``moment``."""
        first = self.next_after(moment)
        second = self.next_after(first) if first else None
        return second - first if first and second else None


def _field(text: str, index: int) -> frozenset[int]:
    low, high = _BOUNDS[index]
    values: set[int] = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
            if step < 1:
                raise ValueError(f"step must be positive in {text!r}")
        if part in ("*", "?"):
            first, last = low, high
        elif "-" in part:
            a, b = part.split("-", 1)
            first, last = _value(a, index), _value(b, index)
        else:
            first = _value(part, index)
            last = high if step > 1 else first
        if index == 4 and last == 7:
            last = 6 if first <= 6 else 0
            values.add(0)
        if not (low <= first <= high and low <= last <= high and first <= last):
            raise ValueError(f"{part!r} is out of range {low}-{high}")
        values.update(range(first, last + 1, step))
    return frozenset(values)


def _value(text: str, index: int) -> int:
    lowered = text.lower()
    if lowered in _NAMES[index]:
        return _NAMES[index][lowered]
    if not lowered.isdigit():
        raise ValueError(f"{text!r} is not a number")
    number = int(lowered)
    return 0 if index == 4 and number == 7 else number


def parse_cron(text: str) -> CronSchedule:
    """Raises ValueError with the reason for a schedule the CronJob controller rejects."""
    spec = text.strip()
    if spec.startswith(("TZ=", "CRON_TZ=")):
        spec = spec.split(None, 1)[1] if " " in spec else ""
    spec = _MACROS.get(spec.lower(), spec)
    if spec.startswith("@every"):
        raise ValueError("@every is not supported by CronJobs")
    fields = spec.split()
    if len(fields) != 5:
        raise ValueError(f"expected exactly 5 fields, found {len(fields)}: {text!r}")
    minutes, hours, days, months, weekdays = (_field(f, i) for i, f in enumerate(fields))
    return CronSchedule(
        minutes,
        hours,
        days,
        months,
        weekdays,
        any_day=fields[2] in ("*", "?"),
        any_weekday=fields[4] in ("*", "?"),
    )
