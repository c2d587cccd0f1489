"""The incident tables: a step is taken once, a claim stops the rest, old rows are purged."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.state import Store, open_store

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    yield opened
    opened.close()


def test_a_step_is_taken_once_and_a_claim_stops_the_rest(store: Store) -> None:
    esc = store.escalations

    async def scenario() -> None:
        await esc.start(
            key="g", team="t", chat_id="c", message_id="m", fired_at=T0, first_due=T0 + 5 * MIN
        )
        assert await esc.due(T0 + 4 * MIN) == []
        [due] = await esc.due(T0 + 5 * MIN)
        assert (due.key, due.next_step) == ("g", 0)
        assert await esc.take("g", 0, T0 + 15 * MIN, T0 + 5 * MIN)
        assert not await esc.take("g", 0, T0 + 15 * MIN, T0 + 5 * MIN)  # already taken
        assert await esc.due(T0 + 10 * MIN) == []
        assert await esc.stop("g", "claimed", T0 + 6 * MIN, "ou_bob")
        assert await esc.due(T0 + 20 * MIN) == []
        assert not await esc.take("g", 1, None, T0 + 20 * MIN)
        claimed = await esc.get("g")
        assert claimed is not None and (claimed.status, claimed.claimed_by) == ("claimed", "ou_bob")
        # Purged only once finished and older than the cut-off.
        assert await esc.purge(T0) == 0
        assert await esc.purge(T0 + 7 * MIN) == 1
        assert await esc.get("g") is None

    asyncio.run(scenario())


def test_changes_are_active_until_they_end_then_purged(store: Store) -> None:
    changes = store.oncall

    async def scenario() -> None:
        await changes.add(
            team="payments",
            kind="override",
            people=("ou_a",),
            starts=T0,
            ends=T0 + 60 * MIN,
            created_by="ou_x",
        )
        [active] = await changes.active("payments", T0 + 59 * MIN)
        assert active.people == ("ou_a",) and active.ends == T0 + 60 * MIN
        assert await changes.active("payments", T0 + 60 * MIN) == []
        assert await changes.active("search", T0) == []
        assert await changes.purge(T0 + 60 * MIN) == 1

    asyncio.run(scenario())
