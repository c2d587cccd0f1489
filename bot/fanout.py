"""One read over several clusters at once (``--clusters all``): the same async function
runs for every cluster's scoped services concurrently, each with its own time limit, and
every cluster gets one outcome, in the order asked: its answer, "no answer in time", or
the (scrubbed) cause of its failure. A slow or broken cluster never holds the others up.

Pure asyncio: what the function reads (an API server, an Alertmanager) is its business.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.services import Services
from config.scrub import scrub

__all__ = ["Answered", "Failed", "Outcome", "TimedOut", "fan_out", "short_cause"]

T = TypeVar("T")
MAX_CAUSE = 160  # characters of a failure's cause on a card
OS_ERROR = re.compile(r"\[Errno -?\d+\] ([^'\"()\[\]]+)")  # "[Errno 111] Connection refused"


@dataclass(frozen=True)
class Answered(Generic[T]):
    cluster: str
    value: T


@dataclass(frozen=True)
class TimedOut:
    cluster: str
    seconds: float  # the limit it did not answer within


@dataclass(frozen=True)
class Failed:
    cluster: str
    cause: str  # scrubbed and short: fit for a card line
    error_type: str  # the exception's class name


Outcome = Answered[T] | TimedOut | Failed


def short_cause(error: BaseException) -> str:
    """The exception's message (its type when it has none), scrubbed, one line, short;
    an operating-system error buried in a client's message is said alone."""
    text = " ".join(str(error).split()) or type(error).__name__
    buried = OS_ERROR.search(text)
    if buried:
        text = buried.group(1).strip()
    text = scrub(text)
    return text if len(text) <= MAX_CAUSE else text[: MAX_CAUSE - 1] + "…"


async def _one(
    services: Services,
    name: str,
    work: Callable[[Services], Awaitable[T]],
    timeout: float,
) -> Outcome[T]:
    try:
        value = await asyncio.wait_for(work(services.in_cluster(name)), timeout)
    except TimeoutError:
        return TimedOut(name, timeout)
    except Exception as error:  # any failure is this cluster's line, not the request's end
        return Failed(name, short_cause(error), type(error).__name__)
    return Answered(name, value)


async def fan_out(
    services: Services,
    clusters: Sequence[str],
    work: Callable[[Services], Awaitable[T]],
    timeout: float,
) -> list[Outcome[T]]:
    """``work`` for ``services.in_cluster(name)`` of every name, concurrently, each given
    ``timeout`` seconds; one outcome per name, in the order of ``clusters``."""
    return list(await asyncio.gather(*(_one(services, n, work, timeout) for n in clusters)))
