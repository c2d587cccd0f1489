"""The record of each job run: claimed once, then running → done (or failed).

``dedupe.claim(run_id, "job")`` decides the first owner; the state in ``store.kv`` tells a
new leader whether a run claimed by a dead leader still has to happen.

A run record is read only while its fire time is within the job's look-back (the
scheduler's ``grace``, 30 minutes by default; a scan's interval), so it is kept for twice
that, and at least two days: longer than the look-back, and longer than the delivery
claim (``feishu.dedupe_hours``, 24 h by default). A record gone while its claim still
existed inside the look-back would make the leader run the job again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.state import Store

__all__ = ["RunPhase", "RunState", "RunLedger", "MAX_ATTEMPTS", "keep_for"]

MAX_ATTEMPTS = 3
MIN_KEEP = timedelta(days=2)


def keep_for(look_back: timedelta) -> timedelta:
    """How long the record of a run of a job with this look-back is kept."""
    return max(MIN_KEEP, 2 * look_back)


class RunPhase(StrEnum):
    """Where a job run is; the value is what the run's record stores."""

    RUNNING = "running"
    FAILED = "failed"
    DONE = "done"


@dataclass(frozen=True)
class RunState:
    state: RunPhase
    holder: str
    attempts: int


class RunLedger:
    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def _key(run_id: str) -> str:
        return f"jobrun:{run_id}"[:250]

    async def get(self, run_id: str) -> RunState | None:
        raw = await self.store.kv.get(self._key(run_id))
        if raw is None:
            return None
        data = json.loads(raw)
        return RunState(RunPhase(data["state"]), str(data["holder"]), int(data["attempts"]))

    async def claim(self, run_id: str) -> bool:
        return await self.store.dedupe.claim(run_id, "job")

    async def put(self, run_id: str, state: RunState, *, keep: timedelta) -> None:
        value = {"state": state.state, "holder": state.holder, "attempts": state.attempts}
        await self.store.kv.put(self._key(run_id), json.dumps(value), ttl=keep)
