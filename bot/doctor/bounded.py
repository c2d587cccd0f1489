"""Checks bounded by a timeout: one that raises or hangs becomes one failed check."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from bot.doctor.result import Check

__all__ = ["bounded"]


async def bounded(name: str, work: Awaitable[list[Check]], timeout: float) -> list[Check]:
    """``work``'s checks, or one failed check when it raises or takes over ``timeout``."""
    try:
        return await asyncio.wait_for(work, timeout)
    except TimeoutError:
        return [
            Check.fail(
                name,
                f"no answer within {timeout:g}s",
                f"check that {name.split('.')[0]} is reachable from this host",
            )
        ]
    except Exception as exc:  # a check must report, never crash the doctor
        detail = str(exc).splitlines()[0][:300] if str(exc) else ""
        return [Check.fail(name, f"{type(exc).__name__}: {detail}", "see the detail")]
