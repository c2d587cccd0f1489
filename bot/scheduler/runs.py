"""The record of each job run: claimed once, then running → done (or failed).

``dedupe.claim(run_id, "job")`` decides the first owner; the state in ``store.kv`` tells a
new leader whether a run claimed by a dead leader still has to happen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.state import Store

__all__ = ["RunState", "RunLedger", "MAX_ATTEMPTS"]

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class RunState:
    state: str  # "running" | "failed" | "done"
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
        return RunState(str(data["state"]), str(data["holder"]), int(data["attempts"]))

    async def claim(self, run_id: str) -> bool:
        return await self.store.dedupe.claim(run_id, "job")

    async def put(self, run_id: str, state: RunState) -> None:
        value = {"state": state.state, "holder": state.holder, "attempts": state.attempts}
        await self.store.kv.put(self._key(run_id), json.dumps(value))
