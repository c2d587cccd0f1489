"""A plan's card view is part of its approval record: written once, read with it."""

from __future__ import annotations

import json

from bot.state import Store
from tests.bot.state.conftest import propose


async def test_the_card_view_is_read_with_the_record(store: Store) -> None:
    plan_id = await propose(store)
    record = await store.approvals.get(plan_id)
    assert record is not None and record.card_view is None  # not recorded yet

    view = json.dumps({"plan_id": plan_id})
    await store.approvals.attach_view(plan_id, view)
    assert await store.approvals.claim(plan_id, "ou_approver", "rejected") == "claimed"
    decided = await store.approvals.get(plan_id)
    assert decided is not None and decided.card_view == view
