"""Three bot processes sharing Redis and PostgreSQL behave as one bot.

Each replica is a separate OS process (tests/scale/instance.py) talking to the fake
open platform served by this test process; the ledger of that fake is the witness.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections import Counter
from datetime import timedelta
from typing import Any

import httpx
import pytest
import redis

from bot.state import open_store
from tests.scale.conftest import REDIS_URL
from tests.scale.replicas import Replica, Replicas
from tests.scale.sentinels import scanned_since, settle

DUPLICATE = re.compile(r"^cloudops_events_duplicate_total (\S+)$", re.MULTILINE)


def duplicates_counted(group: list[Replica]) -> float:
    with httpx.Client(timeout=5) as client:
        texts = [client.get(f"{r.url}/metrics").text for r in group]
    return sum(float(m.group(1)) for t in texts if (m := DUPLICATE.search(t)))


async def deliver(
    replicas: Replicas, batches: list[list[tuple[Replica, dict[str, Any]]]]
) -> list[int]:
    """Post every batch's deliveries at the same moment, freshly signed each time."""
    senders = {r.name: replicas.sender(r) for r in replicas.alive}
    gate = asyncio.Semaphore(8)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def post(replica: Replica, envelope: dict[str, Any]) -> int:
            body, headers = senders[replica.name].wire(envelope)
            response = await client.post(replica.events_url, content=body, headers=headers)
            return response.status_code

        async def batch(items: list[tuple[Replica, dict[str, Any]]]) -> list[int]:
            async with gate:
                return await asyncio.gather(*(post(r, e) for r, e in items))

        results = await asyncio.gather(*(batch(b) for b in batches))
    return [status for statuses in results for status in statuses]


def test_a_thousand_deliveries_with_redeliveries_run_each_command_once(
    replicas: Replicas, redis_prefix: str
) -> None:
    group = replicas.ensure(3)
    sender = replicas.sender(group[0])
    before = duplicates_counted(group)
    envelopes = [
        sender.message_envelope("/tally", chat_id=f"oc_once_{i}", sender=f"ou_{i % 17}")
        for i in range(700)
    ]
    batches = []
    for i, envelope in enumerate(envelopes):
        first = group[i % 3]
        if i < 300:  # the same event again, to another replica, at the same moment
            batches.append([(first, envelope), (group[(i + 1) % 3], envelope)])
        else:
            batches.append([(first, envelope)])
    statuses = asyncio.run(deliver(replicas, batches))
    assert len(statuses) == 1000 and set(statuses) == {200}

    keys = [f"{redis_prefix}tally:{e['event']['message']['message_id']}" for e in envelopes]
    direct = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    try:

        def runs() -> list[dict[str, str]]:
            with direct.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.hgetall(key)
                return list(pipe.execute())

        replicas.platform.ledger.wait_for(lambda: all(runs()), timeout=60)
        settle(replicas, group)  # a late second run would have happened by now
        counted = runs()
    finally:
        direct.close()
    totals = Counter(sum(int(n) for n in per_replica.values()) for per_replica in counted)
    assert totals == Counter({1: 700})
    ran_on = Counter(name for per_replica in counted for name in per_replica)
    assert set(ran_on) == {r.name for r in group}  # every replica did part of the work
    assert duplicates_counted(group) - before == 300


def test_concurrent_approve_clicks_apply_once(replicas: Replicas, pg_url: str) -> None:
    group = replicas.ensure(3)
    sender = replicas.sender(group[0])
    store = open_store(pg_url, run_migrations=False)

    async def propose(k: int) -> str:
        record = await store.approvals.propose(
            kind="scale",
            payload="{}",
            payload_hash="1" * 64,
            namespace="default",
            target=f"deployment/app-{k}",
            chat_id=f"oc_apply_{k}",
            proposed_by="ou_proposer",
            ttl=timedelta(minutes=10),
        )
        return record.id

    async def proposals() -> list[str]:
        return list(await asyncio.gather(*(propose(k) for k in range(20))))

    action_ids = asyncio.run(proposals())
    batches = []
    for k, action_id in enumerate(action_ids):
        value = {"action": "scale_apply", "id": action_id}

        def click(event_id: str, k: int = k, value: dict[str, str] = value) -> dict[str, Any]:
            return sender.card_envelope(
                value, chat_id=f"oc_apply_{k}", operator=f"ou_approver_{k}", event_id=event_id
            )

        retried = click("ev_" + secrets.token_hex(8))  # one click, delivered twice
        batches.append(
            [
                (group[0], retried),
                (group[1], retried),
                (group[1], click("ev_" + secrets.token_hex(8))),  # a second click
                (group[2], click("ev_" + secrets.token_hex(8))),  # from another replica
            ]
        )
    statuses = asyncio.run(deliver(replicas, batches))
    assert set(statuses) == {200}

    def audit_by_action() -> dict[str, list[str]]:
        rows = asyncio.run(store.audit.recent(1000))
        found: dict[str, list[str]] = {a: [] for a in action_ids}
        for row in rows:
            if row.action == "scale_apply" and row.action_id in found:
                found[row.action_id].append(row.result)
        return found

    replicas.platform.ledger.wait_for(
        lambda: all(len(v) >= 3 for v in audit_by_action().values()), timeout=30
    )
    settle(replicas, group)
    try:
        for k, (action_id, results) in enumerate(audit_by_action().items()):
            # The redelivered click ran nothing; the two distinct clicks were refused.
            refused = sorted(r for r in results if r != "applied")
            assert results.count("applied") == 1 and len(refused) == 2, results
            assert set(refused) <= {"already_applying", "already_applied"}, results
            texts = [m.text for m in replicas.platform.ledger.sent(f"oc_apply_{k}")]
            assert texts == [f"applied {action_id}"]
            record = asyncio.run(store.approvals.get(action_id))
            assert record is not None and record.status == "applied"
    finally:
        store.close()


def _leaders(group: list[Replica]) -> dict[str, str]:
    found = {}
    with httpx.Client(timeout=2) as client:
        for replica in group:
            try:
                body = client.get(f"{replica.url}/scale-test/leader").json()
            except httpx.TransportError:
                continue
            if body["leader"]:
                found[replica.name] = body["holder"]
    return found


def test_the_scheduler_lease_moves_when_its_holder_is_killed(
    replicas: Replicas, redis_prefix: str
) -> None:
    group = replicas.ensure(3)
    deadline = time.monotonic() + 10
    while len(leaders := _leaders(group)) != 1:
        assert time.monotonic() < deadline, f"no single leader: {leaders}"
        time.sleep(0.1)
    ((old_name, old_holder),) = leaders.items()
    key = f"{redis_prefix}lease:scheduler"
    direct = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        assert direct.get(key) == old_holder
        remaining = direct.pttl(key) / 1000
        killed_at = time.monotonic()
        next(r for r in group if r.name == old_name).kill()
        survivors = [r for r in group if r.name != old_name]
        while not (leaders := _leaders(survivors)):
            assert time.monotonic() - killed_at < 8, "nobody took the lease over"
            time.sleep(0.05)
        taken_after = time.monotonic() - killed_at
        assert len(leaders) == 1
        (new_holder,) = leaders.values()
        assert new_holder != old_holder and direct.get(key) == new_holder
        assert taken_after >= remaining - 0.1  # not before the dead holder's lease ran out
    finally:
        direct.close()


@pytest.mark.timeout(120)
def test_killing_every_replica_loses_nothing(replicas: Replicas) -> None:
    (writer,) = replicas.ensure(1)
    note = "remember-" + secrets.token_hex(4)
    chat, user = "oc_restart", "ou_restart"
    with httpx.Client(timeout=10) as client:
        written = client.post(
            f"{writer.url}/scale-test/state", json={"chat_id": chat, "user": user, "note": note}
        ).json()
    handled = replicas.sender(writer).message_envelope("/help", chat_id="oc_restart_help")
    assert asyncio.run(deliver(replicas, [[(writer, handled)]])) == [200]
    replicas.platform.ledger.wait_for(lambda: replicas.platform.ledger.sent("oc_restart_help"))

    replicas.kill_all()
    fresh = replicas.start(2)

    query = {"chat_id": chat, "user": user, "action_id": written["action_id"]}
    with httpx.Client(timeout=10) as client:
        ready = client.get(f"{fresh[1].url}/readyz").json()
        state = client.get(f"{fresh[1].url}/scale-test/state", params=query).json()
    assert ready["checks"]["redis"] == "ok" and ready["checks"]["database"] == "ok"
    assert state["action"] == {"status": "pending", "chat": chat}
    assert state["session"] == [{"role": "user", "content": note}]
    assert written["subscription_id"] in state["subscriptions"]
    assert {"action": "note", "detail": note} in state["audit"]

    # The delivery handled before the crash is still claimed; the pending action can
    # still be approved, once.
    click = replicas.sender(fresh[0]).card_envelope(
        {"action": "scale_apply", "id": written["action_id"]}, chat_id=chat
    )
    statuses = asyncio.run(
        deliver(replicas, [[(fresh[0], handled), (fresh[1], handled), (fresh[0], click)]])
    )
    assert statuses == [200, 200, 200]
    replicas.platform.ledger.wait_for(lambda: replicas.platform.ledger.sent(chat))
    settle(replicas, fresh)
    assert len(replicas.platform.ledger.sent("oc_restart_help")) == 1
    assert [m.text for m in replicas.platform.ledger.sent(chat)] == [
        f"applied {written['action_id']}"
    ]


def test_a_command_whose_replica_is_killed_mid_answer_is_answered_by_another(
    replicas: Replicas, redis_prefix: str
) -> None:
    first, *_ = replicas.ensure(3)
    envelope = replicas.sender(first).message_envelope("/stall", chat_id="oc_killed")
    message_id = envelope["event"]["message"]["message_id"]
    direct = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    runs_key = f"{redis_prefix}stall:{message_id}"
    try:
        assert asyncio.run(deliver(replicas, [[(first, envelope)]])) == [200]
        deadline = time.monotonic() + 10
        while direct.llen(runs_key) < 1:
            assert time.monotonic() < deadline, "the first run never started"
            time.sleep(0.05)
        first.kill()  # mid-answer: claimed, recorded in flight, nothing sent

        ledger = replicas.platform.ledger
        ledger.wait_for(lambda: len(ledger.sent("oc_killed")) >= 2, timeout=20)
        scanned_since(replicas, replicas.alive)  # a second answer would have come by now
        runs = direct.lrange(runs_key, 0, -1)
    finally:
        direct.close()
    assert runs[0] == first.name and len(runs) == 2 and runs[1] != first.name
    # The second run's "working" reply reused the first run's uuid: sent once in all.
    texts = [m.text for m in ledger.sent("oc_killed")]
    assert texts == ["working on it", f"answered by {runs[1]} on run 2"]
