"""A command whose replica died mid-answer is answered by a live replica, once.

The dead replica is played by records written straight into the shared database: the
delivery claimed and recorded in flight with a lease that already ran out, as a
replica killed after its claim leaves them. (tests/scale kills a real replica process.)
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.events import parse_message, to_payload
from bot.registry import Registry
from bot.state import Store, open_store
from bot.state.models import InflightDelivery
from sandbox.feishu import FakePlatform
from skills import help as help_skill
from tests.conftest import RunningBot, start_bot

GONE = timedelta(seconds=-1)


def _help_only() -> Registry:
    registry = Registry()
    help_skill.register(registry)
    return registry


def _fast_resume(tmp_path: Path) -> str:
    path = tmp_path / "resume.yaml"
    path.write_text(
        yaml.safe_dump({"runtime": {"resume_scan_seconds": 0.2, "resume_lease_seconds": 2}})
    )
    return str(path)


def _start(platform: FakePlatform, db_url: str, tmp_path: Path) -> RunningBot:
    return start_bot(
        platform, db_url, registry=_help_only(), CLOUDOPS_CONFIG=_fast_resume(tmp_path)
    )


@pytest.fixture
def live(platform: FakePlatform, db_url: str, tmp_path: Path) -> Iterator[tuple[RunningBot, Store]]:
    """A live replica scanning every 0.2 s, and the database it shares."""
    bot = _start(platform, db_url, tmp_path)
    store = open_store(db_url, run_migrations=False)
    yield bot, store
    store.close()
    bot.stop()


async def _die_mid_answer(store: Store, envelope: dict[str, object], attempts: int = 1) -> str:
    """What a replica killed while answering ``envelope`` leaves behind; its key."""
    msg = parse_message(envelope)
    assert await store.dedupe.claim(msg.dedupe_key, "message")
    await store.inflight.begin(msg.dedupe_key, "message", to_payload(msg), "dead-replica", GONE)
    with Session(store.engine) as session, session.begin():
        session.execute(
            update(InflightDelivery)
            .where(InflightDelivery.key == msg.dedupe_key)
            .values(attempts=attempts)
        )
    return msg.message_id


async def _scanned_since(store: Store, bots: list[RunningBot]) -> None:
    """A sentinel instead of a sleep: once no delivery is left in flight (so none can be
    taken over again), a dead replica's unreadable record, left after that, is dropped by
    a later scan (counted as "unreadable", so the outcomes the tests count stay theirs)."""
    bots[0].wait_for(lambda: _left_in_flight(store) == 0)
    before = sum(_resumed(bot, "unreadable") for bot in bots)
    key = "msg:om_sentinel_" + secrets.token_hex(4)
    await store.inflight.begin(key, "message", "not a delivery", "dead-replica", GONE)
    bots[0].wait_for(
        lambda: (
            sum(_resumed(bot, "unreadable") for bot in bots) > before
            and _left_in_flight(store) == 0
        )
    )


def _left_in_flight(store: Store) -> int:
    with Session(store.engine) as session:
        return int(session.execute(select(func.count()).select_from(InflightDelivery)).scalar())


def _resumed(bot: RunningBot, outcome: str) -> float:
    metrics = bot.runtime.services.metrics
    value = metrics.registry.get_sample_value(
        "cloudops_deliveries_resumed_total", {"outcome": outcome}
    )
    return value or 0.0


def _replies(platform: FakePlatform, message_id: str) -> list[object]:
    return platform.ledger.calls("POST", f"/messages/{message_id}/reply")


async def test_a_dead_replicas_command_is_answered_once_by_two_live_ones(
    platform: FakePlatform, db_url: str, tmp_path: Path
) -> None:
    bots = [_start(platform, db_url, tmp_path) for _ in range(2)]
    store = open_store(db_url, run_migrations=False)
    try:
        envelope = bots[0].sender.message_envelope("/help", chat_id="oc_resume")
        message_id = await _die_mid_answer(store, envelope)

        bots[0].wait_for(lambda: _replies(platform, message_id))
        await _scanned_since(store, bots)
        assert len(_replies(platform, message_id)) == 1
        resumed = [_resumed(bot, "answered_again") for bot in bots]
        assert sorted(resumed) == [0.0, 1.0]
        card = platform.ledger.sent("oc_resume")[0]
        assert card.msg_type == "interactive" and "/help" in json.dumps(card.content)
        assert _left_in_flight(store) == 0

        assert bots[1].sender.post(envelope).status_code == 200  # a late redelivery
        bots[1].settle()
        assert len(_replies(platform, message_id)) == 1
    finally:
        store.close()
        for bot in bots:
            bot.stop()


async def test_after_two_interrupted_runs_the_user_is_asked_to_resend(
    platform: FakePlatform, live: tuple[RunningBot, Store]
) -> None:
    bot, store = live
    envelope = bot.sender.message_envelope("/help", chat_id="oc_gave_up")
    message_id = await _die_mid_answer(store, envelope, attempts=2)

    bot.wait_for(lambda: _replies(platform, message_id))
    await _scanned_since(store, [bot])
    sent = platform.ledger.sent("oc_gave_up")
    assert len(sent) == 1
    assert _resumed(bot, "gave_up") == 1.0 and _resumed(bot, "answered_again") == 0.0
    assert "gave up" in sent[0].text and "/help" in sent[0].text
    assert _left_in_flight(store) == 0


def test_an_answered_command_leaves_nothing_in_flight(
    platform: FakePlatform, live: tuple[RunningBot, Store]
) -> None:
    bot, store = live
    envelope = bot.sender.message_envelope("/help", chat_id="oc_plain")
    assert bot.sender.post(envelope).status_code == 200
    bot.wait_for(lambda: platform.ledger.sent("oc_plain"))
    deadline = time.monotonic() + 5
    while _left_in_flight(store) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _left_in_flight(store) == 0
