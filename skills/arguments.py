"""Argument parsing shared by skills: time windows and ``-n namespace`` flags."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from bot.options import take_flag
from bot.registry import UsageError
from config.sections import CLUSTER_NAME

__all__ = ["parse_window", "take_clusters", "take_option", "NAME"]

WINDOW = re.compile(r"^(\d{1,4})([smhd])$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")


def parse_window(
    text: str, *, least: timedelta = timedelta(minutes=5), most: timedelta = timedelta(days=7)
) -> timedelta:
    """``"30m"`` → 30 minutes; refuses malformed values and values out of range."""
    match = WINDOW.match(text.strip().lower())
    if not match:
        raise UsageError("usage.bad_window", value=text)
    window = timedelta(**{UNITS[match.group(2)]: int(match.group(1))})
    if not least <= window <= most:
        raise UsageError("usage.window_range", value=text, least=_short(least), most=_short(most))
    return window


def _short(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def take_option(args: Sequence[str], *flags: str) -> tuple[str | None, list[str]]:
    """Remove ``-n value`` (any of ``flags``) from ``args``; returns (value, rest)."""
    value, rest = take_flag(args, *flags)
    if value is not None and not NAME.match(value):
        raise UsageError("usage.bad_name", value=value)
    return value, rest


CLUSTERS = "--clusters"


def take_clusters(args: Sequence[str]) -> tuple[tuple[str, ...] | None, list[str]]:
    """Remove ``--clusters all`` or ``--clusters a,b`` (also ``--clusters=...``); returns
    (the names, or ``("all",)``; None without the flag) and the rest. Whether the names
    are configured is the skill's check (``bot.cluster_scope.fanout_clusters``)."""
    value, rest = take_flag(args, CLUSTERS)
    if value is None:
        return None, rest
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    if not names:
        raise UsageError("usage.missing_option_value", option=CLUSTERS)
    for name in names:
        if not CLUSTER_NAME.match(name):
            raise UsageError("usage.bad_name", value=name)
    return names, rest
