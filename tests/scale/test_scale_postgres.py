"""PostgreSQL as the shared state of several replicas: migrations at start, approvals."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import inspect

from bot.state import Store, open_store


async def _propose(store: Store, ttl: timedelta) -> str:
    record = await store.approvals.propose(
        kind="scale",
        payload="{}",
        payload_hash="0" * 64,
        namespace="default",
        target="deployment/web",
        chat_id="oc_pg",
        proposed_by="ou_proposer",
        ttl=ttl,
    )
    return record.id


def test_replicas_migrating_at_once_leave_one_schema(pg_url: str) -> None:
    # Separate processes, as replicas are: without the advisory lock two of them die
    # with a UniqueViolation while creating the same tables.
    start_at = time.time() + 3
    script = (
        "import sys, time\n"
        "from bot.state import open_store\n"
        "store = open_store(sys.argv[1], run_migrations=False)\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"
        "open_store(sys.argv[1]).ping()\n"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, pg_url, str(start_at)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=60)[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    store = open_store(pg_url, run_migrations=False)
    tables = set(inspect(store.engine).get_table_names())
    store.close()
    assert {"pending_actions", "audit_log", "processed_events", "alembic_version"} <= tables


async def test_concurrent_claims_from_separate_engines_apply_once(pg_url: str) -> None:
    stores = [open_store(pg_url) for _ in range(3)]
    try:
        action_id = await _propose(stores[0], timedelta(minutes=5))
        barrier = threading.Barrier(12)

        def click(i: int) -> str:
            barrier.wait()
            claim = stores[i % 3].approvals.claim(action_id, f"ou_{i}", "applying")
            return asyncio.run(claim)

        with ThreadPoolExecutor(12) as pool:  # each thread runs its own event loop
            outcomes = await asyncio.to_thread(lambda: list(pool.map(click, range(12))))
        assert outcomes.count("claimed") == 1
        assert outcomes.count("already_applying") == 11
        record = await stores[2].approvals.get(action_id)
        assert record is not None and record.status == "applying"
    finally:
        for store in stores:
            store.close()


async def test_an_expired_action_cannot_be_claimed(pg_url: str) -> None:
    store = open_store(pg_url)
    try:
        action_id = await _propose(store, timedelta(milliseconds=1))
        await asyncio.sleep(0.05)
        assert await store.approvals.claim(action_id, "ou_late", "applying") == "expired"
        assert await store.approvals.claim(action_id, "ou_late", "applying") == ("already_expired")
    finally:
        store.close()
