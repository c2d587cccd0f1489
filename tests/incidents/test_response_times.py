"""MTTA and MTTR per team: from the stored timeline, as Prometheus histograms, on a card."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cards.alert import AlertView
from bot.cards.incident_stats import TeamResponse, duration_text, incident_stats_card
from bot.cards.validation import card_problems
from bot.metrics import Metrics
from bot.registry import UsageError
from bot.state import Store, open_store
from bot.state.timeline import IncidentEventRecord as Event
from messages import LANGUAGES
from skills.alerts.response_times import (
    incidents_of,
    observe_claim,
    observe_resolution,
    team_response,
)
from skills.alerts.state import AlertRecord, save_record
from skills.alerts.stats import parse_stats, stats

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    yield opened
    opened.close()


def _events() -> list[Event]:
    return [
        Event("a", T0, "fired", "alertmanager", "HighLatency"),
        Event("a", T0 + 3 * MIN, "escalated", "bot", ""),
        Event("a", T0 + 4 * MIN, "claimed", "ou_alice", ""),
        Event("a", T0 + 5 * MIN, "claimed", "ou_bob", ""),  # a second claim: not counted
        Event("a", T0 + 20 * MIN, "resolved", "alertmanager", ""),
        Event("a", T0 + 60 * MIN, "fired", "alertmanager", "HighLatency"),  # a new cycle
        Event("a", T0 + 62 * MIN, "claimed", "ou_bob", ""),
        Event("b", T0 + 10 * MIN, "fired", "alertmanager", "Errors"),
        Event("b", T0 + 40 * MIN, "resolved", "alertmanager", ""),  # never claimed
        Event("c", T0 - 10 * MIN, "claimed", "ou_x", ""),  # fired before the events start
        Event("c", T0 + 1 * MIN, "resolved", "alertmanager", ""),
    ]


def test_firing_cycles_are_read_from_the_events() -> None:
    found = incidents_of(_events())
    assert [(i.key, i.fired, i.claimed, i.resolved) for i in found] == [
        ("a", T0, T0 + 4 * MIN, T0 + 20 * MIN),
        ("b", T0 + 10 * MIN, None, T0 + 40 * MIN),
        ("a", T0 + 60 * MIN, T0 + 62 * MIN, None),
    ]
    assert found[0].claimed_by == "ou_alice"


def test_mtta_and_mttr_per_team_over_the_period() -> None:
    rows = team_response(incidents_of(_events()), {"a": "payments"}, T0, T0 + 2 * 60 * MIN)
    assert rows == [
        TeamResponse("payments", 2, 2, 1, 3 * 60.0, 20 * 60.0),  # (4m + 2m) / 2
        TeamResponse("none", 1, 0, 1, None, 30 * 60.0),
    ]
    later = team_response(incidents_of(_events()), {"a": "payments"}, T0 + MIN, T0 + 61 * MIN)
    assert [(r.team, r.incidents) for r in later] == [("payments", 1), ("none", 1)]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "—"), (0, "0s"), (59.6, "1m"), (750, "12m30s"), (7500, "2h05m"), (3600, "1h")]
    + [(86400 * 3 + 3600 * 4, "3d4h"), (86400, "1d")],
)
def test_durations(seconds: float | None, text: str) -> None:
    assert duration_text(seconds) == text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_stats_card_is_valid_with_many_teams_and_with_none(lang: str) -> None:
    rows = [TeamResponse(f"team-{i}" * 20, 9, 8, 7, 95.0 * i, 3600.0 * i) for i in range(70)]
    built = incident_stats_card(rows, "30d", lang)
    assert card_problems(built) == []
    assert "MTTA" in str(built) and "47m30s" in str(built)  # team 30: 2850 s
    assert card_problems(incident_stats_card([], "7d", lang)) == []


def test_the_period_is_parsed_with_a_default_and_bounds() -> None:
    assert parse_stats([]).period == timedelta(days=7)
    assert parse_stats(["stats"]).text == "7d"
    assert parse_stats(["stats", "30D"]) == parse_stats(["30d"])
    assert parse_stats(["30d"]).period == timedelta(days=30)
    for wrong in (["1m"], ["91d"], ["x"], ["7d", "more"]):
        with pytest.raises(UsageError):
            parse_stats(wrong)


def test_the_timeline_gives_every_groups_events_of_a_period(store: Store) -> None:
    async def scenario() -> list[Event]:
        for event in _events():
            await store.timeline.add(event.key, event.kind, event.actor, event.at, event.detail)
        return await store.timeline.between(T0, T0 + 60 * MIN)

    found = asyncio.run(scenario())
    assert [(e.key, e.kind, e.at) for e in found][:3] == [
        ("a", "fired", T0),
        ("c", "resolved", T0 + MIN),
        ("a", "escalated", T0 + 3 * MIN),
    ]
    assert all(T0 <= e.at < T0 + 60 * MIN for e in found) and len(found) == 8


@dataclass
class _Services:
    store: Store
    now: datetime
    metrics: Metrics = field(default_factory=Metrics)

    def clock(self) -> datetime:
        return self.now


def _sample(metrics: Metrics, name: str, team: str) -> tuple[float, float]:
    registry = metrics.registry
    count = registry.get_sample_value(f"{name}_count", {"team": team}) or 0.0
    total = registry.get_sample_value(f"{name}_sum", {"team": team}) or 0.0
    return count, total


def test_claims_and_resolutions_are_observed_per_team(store: Store) -> None:
    services = _Services(store, T0)
    view = AlertView("a", "firing", "HighLatency", "critical", {"team": "checkout"}, {}, [])
    routed = AlertView("b", "firing", "Errors", "critical", {}, {}, [], team="payments")

    async def scenario() -> None:
        await store.timeline.add("a", "fired", "alertmanager", T0)
        await store.timeline.add("b", "fired", "alertmanager", T0 + MIN)
        await observe_claim(services, view, T0 + 4 * MIN)  # type: ignore[arg-type]
        await observe_resolution(services, view, T0 + 20 * MIN)  # type: ignore[arg-type]
        await observe_claim(services, routed, T0 + 3 * MIN)  # type: ignore[arg-type]
        unknown = AlertView("z", "firing", "Z", "", {}, {}, [])
        await observe_claim(services, unknown, T0)  # type: ignore[arg-type]  # never fired

    asyncio.run(scenario())
    metrics = services.metrics
    ack = "cloudops_incident_time_to_acknowledge_seconds"
    resolve = "cloudops_incident_time_to_resolve_seconds"
    assert _sample(metrics, ack, "checkout") == (1.0, 240.0)
    assert _sample(metrics, resolve, "checkout") == (1.0, 1200.0)
    assert _sample(metrics, ack, "payments") == (1.0, 120.0)
    assert _sample(metrics, ack, "none") == (0.0, 0.0)


def test_the_stats_handler_replies_with_the_teams_of_the_stored_cards(store: Store) -> None:
    services = _Services(store, T0 + 2 * 60 * MIN)
    replies: list[dict[str, Any]] = []

    @dataclass
    class _Ctx:
        services: _Services
        lang: str = "en-US"

        async def reply(self, card: dict[str, Any]) -> str:
            replies.append(card)
            return "om_1"

    async def scenario() -> None:
        for event in _events():
            await store.timeline.add(event.key, event.kind, event.actor, event.at, event.detail)
        view = AlertView("a", "firing", "HighLatency", "critical", {}, {}, [], team="payments")
        await save_record(store, AlertRecord("oc_1", "om_a", view))
        await stats(parse_stats(["stats", "1d"]), _Ctx(services))  # type: ignore[arg-type]

    asyncio.run(scenario())
    [card] = replies
    assert card_problems(card) == []
    rows = next(e for e in card["body"]["elements"] if e.get("tag") == "table")["rows"]
    assert [(r["team"], r["incidents"], r["mtta"], r["mttr"]) for r in rows] == [
        ("payments", 2, "3m", "20m"),
        ("none", 1, "—", "30m"),
    ]
