"""Every timestamp the store returns is timezone-aware, in SQLite as in PostgreSQL, and a
time written in another zone reads back as the same instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.state import Store
from bot.state.models import IncidentEvent

SHANGHAI = timezone(timedelta(hours=8))


async def test_times_read_back_aware_and_equal_to_what_was_written(store: Store) -> None:
    fired = datetime(2026, 3, 2, 17, 0, tzinfo=SHANGHAI)  # 09:00 UTC
    await store.timeline.add("g1", "fired", "alertmanager", fired)
    await store.escalations.start(
        key="g1",
        team="ops",
        chat_id="oc_ops",
        message_id="om_1",
        fired_at=fired,
        first_due=fired + timedelta(minutes=5),
    )
    await store.audit.record(actor="ou_a", chat_id="oc_ops", action="approve", result="ok")

    [event] = await store.timeline.events("g1")
    escalation = await store.escalations.get("g1")
    [entry] = await store.audit.recent(1)
    assert escalation is not None and escalation.due_at is not None
    for at in (event.at, escalation.fired_at, escalation.due_at, entry.at):
        assert at.tzinfo is not None
    assert event.at == fired == escalation.fired_at
    assert escalation.due_at == datetime(2026, 3, 2, 9, 5, tzinfo=UTC)


def test_a_time_written_in_another_zone_is_stored_as_the_same_instant(store: Store) -> None:
    """Written straight through the model, without the sections' own conversions."""
    at = datetime(2026, 3, 2, 17, 0, tzinfo=SHANGHAI)
    with Session(store.engine) as session, session.begin():
        session.add(IncidentEvent(key="g2", at=at, kind="fired", actor="alertmanager"))
    with Session(store.engine) as session:
        stored = session.scalar(select(IncidentEvent.at).where(IncidentEvent.key == "g2"))
        earlier = session.scalar(
            select(IncidentEvent.key).where(
                IncidentEvent.at < datetime(2026, 3, 2, 9, 1, tzinfo=UTC)
            )
        )
    assert stored == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert stored is not None and stored.tzinfo is not None
    assert earlier == "g2"
