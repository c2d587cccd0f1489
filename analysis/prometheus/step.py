"""Query resolution: a step that keeps every series under a point budget."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

__all__ = ["MAX_POINTS", "MIN_STEP", "choose_step", "format_duration", "parse_duration"]

MAX_POINTS = 300
MIN_STEP = timedelta(seconds=15)

_DURATION = re.compile(r"(\d+)(ms|s|m|h|d|w)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def choose_step(
    start: datetime, end: datetime, max_points: int = MAX_POINTS, min_step: timedelta = MIN_STEP
) -> timedelta:
    """The smallest whole multiple of ``min_step`` giving at most ``max_points`` points.

    A range query returns ``floor(span / step) + 1`` points per series.
    """
    if end <= start:
        raise ValueError(f"end {end.isoformat()} must be after start {start.isoformat()}")
    if max_points < 2:
        raise ValueError(f"max_points must be at least 2, got {max_points}")
    base = min_step.total_seconds()
    if base <= 0:
        raise ValueError(f"min_step must be positive, got {min_step}")
    needed = (end - start).total_seconds() / (max_points - 1)
    return timedelta(seconds=base * max(1, math.ceil(needed / base)))


def format_duration(duration: timedelta) -> str:
    """PromQL duration text in whole seconds, in the largest exact unit ("2m", "90s")."""
    seconds = math.ceil(duration.total_seconds())
    if seconds <= 0:
        raise ValueError(f"duration must be positive, got {duration}")
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def parse_duration(text: str) -> timedelta:
    """Parse a Prometheus duration such as "2m", "1h30m" or "90s"."""
    parts = _DURATION.findall(text)
    if not parts or "".join(a + b for a, b in parts) != text:
        raise ValueError(f"not a Prometheus duration: {text!r}")
    return timedelta(seconds=sum(int(n) * _UNIT_SECONDS[unit] for n, unit in parts))
