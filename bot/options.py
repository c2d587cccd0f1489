"""Taking ``--flag value`` (``--flag=value``, or a short ``-f value``) out of a command's
arguments: the one loop behind ``-n``, ``--cluster`` and ``--clusters``."""

from __future__ import annotations

from collections.abc import Sequence

from bot.registry import UsageError

__all__ = ["take_flag"]


def take_flag(args: Sequence[str], *flags: str) -> tuple[str | None, list[str]]:
    """Remove every ``flag value`` (any of ``flags``; ``--long=value`` too) from ``args``;
    returns (the last value, unchecked; None without the flag) and the other arguments.
    A flag without a value is a usage error."""
    rest: list[str] = []
    value: str | None = None
    items = list(args)
    i = 0
    while i < len(items):
        item = items[i]
        if item in flags:
            if i + 1 >= len(items):
                raise UsageError("usage.missing_option_value", option=item)
            value = items[i + 1]
            i += 2
            continue
        long_form = next(
            (f for f in flags if f.startswith("--") and item.startswith(f + "=")), None
        )
        if long_form is not None:
            value = item.split("=", 1)[1]
        else:
            rest.append(item)
        i += 1
    return value, rest
