"""What the scheduler runs: a job (id, trigger, coroutine) and one run of it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.triggers.base import BaseTrigger

from bot.messenger import uuid_for

__all__ = ["JobRun", "ScheduledJob", "JobSource", "run_id_for"]


def run_id_for(job_id: str, fire_time: datetime) -> str:
    """``<job id>@<fire time in UTC>``: the same on every replica for the same firing."""
    return f"{job_id}@{fire_time.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}"


@dataclass(frozen=True)
class JobRun:
    job_id: str
    fire_time: datetime
    run_id: str

    @property
    def uuid(self) -> str:
        """The Feishu send ``uuid`` of this run: a re-run cannot post a second message."""
        return uuid_for("job", self.run_id)


@dataclass(frozen=True)
class ScheduledJob:
    id: str
    trigger: BaseTrigger
    run: Callable[[JobRun], Coroutine[Any, Any, None]]
    grace: timedelta | None = None  # how far back missed firings are caught up (None: the
    # scheduler's); a scan sets its own interval, so only its latest firing runs


JobSource = Callable[[], Awaitable[Sequence[ScheduledJob]]]
