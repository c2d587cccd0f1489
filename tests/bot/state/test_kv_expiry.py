"""Key-values expire: invisible from their expiry on, deleted by ``purge``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.state import Store
from bot.state.models import KeyValue
from tests.push.conftest import FrozenClock


def stored_keys(store: Store) -> set[str]:
    """What is physically in the table, expired or not."""
    with store.engine.connect() as conn:
        return set(conn.scalars(select(KeyValue.key)))


async def test_an_expired_entry_is_invisible_and_purged_while_a_fresh_one_stays(
    store: Store, clock: FrozenClock
) -> None:
    await store.kv.put("jobrun:short", "done", ttl=timedelta(minutes=10))
    await store.kv.put("alert:long", "card", ttl=timedelta(hours=1))
    clock.advance(minutes=9, seconds=59)
    assert await store.kv.get("jobrun:short") == "done"
    assert await store.kv.purge() == 0

    clock.advance(seconds=1)  # the short one's expiry: gone from here on
    assert await store.kv.get("jobrun:short") is None
    assert await store.kv.get("alert:long") == "card"
    assert stored_keys(store) == {"jobrun:short", "alert:long"}  # hidden, not yet deleted
    assert await store.kv.purge() == 1
    assert stored_keys(store) == {"alert:long"}
    assert await store.kv.get("alert:long") == "card"

    clock.advance(minutes=50)
    assert await store.kv.get("alert:long") is None
    assert await store.kv.purge() == 1
    assert stored_keys(store) == set()


async def test_a_new_put_replaces_the_value_and_restarts_the_ttl(
    store: Store, clock: FrozenClock
) -> None:
    await store.kv.put("alert:group", "v1", ttl=timedelta(minutes=10))
    clock.advance(minutes=8)
    await store.kv.put("alert:group", "v2", ttl=timedelta(minutes=10))
    clock.advance(minutes=8)  # 16 minutes after the first put
    assert await store.kv.purge() == 0
    assert await store.kv.get("alert:group") == "v2"


async def test_an_expired_key_can_be_written_again(store: Store, clock: FrozenClock) -> None:
    await store.kv.put("scan:cooldown:x", "old", ttl=timedelta(minutes=1))
    clock.advance(minutes=2)
    assert await store.kv.get("scan:cooldown:x") is None
    await store.kv.put("scan:cooldown:x", "new", ttl=timedelta(minutes=1))
    assert await store.kv.get("scan:cooldown:x") == "new"


@pytest.mark.parametrize("ttl", [timedelta(0), timedelta(seconds=-5)])
async def test_a_ttl_must_be_positive(store: Store, ttl: timedelta) -> None:
    with pytest.raises(ValueError, match="ttl must be positive"):
        await store.kv.put("k", "v", ttl=ttl)
    assert stored_keys(store) == set()
