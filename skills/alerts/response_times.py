"""Time to acknowledge and time to resolve (MTTA, MTTR) of incidents, per on-call team.

An incident is one firing cycle of an alert group in its timeline: from ``fired`` (the
card was sent) to the first ``claimed`` and to ``resolved``. A group that fires again
after it resolved starts a new cycle. The histograms ``cloudops_incident_time_to_
acknowledge_seconds{team}`` and ``..._time_to_resolve_seconds{team}`` are observed when a
claim or a resolution is recorded; ``team_response`` computes the same figures over a
period from the stored events (``/incident stats``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from statistics import mean

import structlog

from bot.cards.alert import AlertView
from bot.cards.incident_stats import TeamResponse
from bot.services import Services
from bot.state.timeline import IncidentEventRecord

__all__ = [
    "Incident",
    "TeamResponse",
    "NO_TEAM",
    "incidents_of",
    "team_response",
    "team_label",
    "observe_claim",
    "observe_resolution",
]

log = structlog.get_logger(__name__)
NO_TEAM = "none"  # the team label of alerts whose route names no team
MAX_EVENTS = 1000  # of one group, read to find its last firing


@dataclass(frozen=True)
class Incident:
    key: str
    fired: datetime
    claimed: datetime | None = None
    claimed_by: str | None = None
    resolved: datetime | None = None


def incidents_of(events: Iterable[IncidentEventRecord]) -> list[Incident]:
    """The firing cycles in ``events`` (any groups, oldest first), in order of firing.

    Claims and resolutions without an open cycle (it fired before the events start) are
    left out; a repeated ``fired`` while a cycle is open does not start another."""
    open_: dict[str, Incident] = {}
    found: list[Incident] = []
    for event in sorted(events, key=lambda e: e.at):
        current = open_.get(event.key)
        if event.kind == "fired" and current is None:
            open_[event.key] = Incident(event.key, event.at)
        elif event.kind == "claimed" and current is not None and current.claimed is None:
            open_[event.key] = replace(current, claimed=event.at, claimed_by=event.actor)
        elif event.kind == "resolved" and current is not None:
            found.append(replace(current, resolved=event.at))
            del open_[event.key]
    found.extend(open_.values())
    return sorted(found, key=lambda i: i.fired)


def team_response(
    incidents: Sequence[Incident], team_of: Mapping[str, str], start: datetime, end: datetime
) -> list[TeamResponse]:
    """MTTA and MTTR per team of the incidents that fired in ``start``..``end``, teams by
    name (groups ``team_of`` does not know count as ``NO_TEAM``, listed last)."""
    by_team: dict[str, list[Incident]] = {}
    for incident in incidents:
        if start <= incident.fired < end:
            by_team.setdefault(team_of.get(incident.key) or NO_TEAM, []).append(incident)
    rows = []
    for team in sorted(by_team, key=lambda name: (name == NO_TEAM, name)):
        members = by_team[team]
        acks = [(i.claimed - i.fired).total_seconds() for i in members if i.claimed]
        fixes = [(i.resolved - i.fired).total_seconds() for i in members if i.resolved]
        rows.append(
            TeamResponse(
                team,
                len(members),
                len(acks),
                len(fixes),
                mean(acks) if acks else None,
                mean(fixes) if fixes else None,
            )
        )
    return rows


def team_label(view: AlertView) -> str:
    """The team an alert counts for: its route's team, else its ``team`` label."""
    return view.team or view.labels.get("team") or NO_TEAM


async def _since_fired(services: Services, key: str, now: datetime) -> float | None:
    """Seconds since the group's last firing; ``None`` when unknown. A metric must never
    fail a claim or a resolution, so a store error only logs."""
    try:
        events = await services.store.timeline.events(key, MAX_EVENTS)
    except Exception as exc:
        log.warning("response_time_unknown", key=key, error=type(exc).__name__)
        return None
    fired = [e.at for e in events if e.kind == "fired" and e.at <= now]
    return (now - fired[-1]).total_seconds() if fired else None


async def observe_claim(services: Services, view: AlertView, now: datetime) -> None:
    """Observe the time to acknowledge of a group claimed at ``now``."""
    seconds = await _since_fired(services, view.key, now)
    if seconds is not None:
        services.metrics.time_to_acknowledge.labels(team=team_label(view)).observe(seconds)


async def observe_resolution(services: Services, view: AlertView, now: datetime) -> None:
    """Observe the time to resolve of a group resolved at ``now``."""
    seconds = await _since_fired(services, view.key, now)
    if seconds is not None:
        services.metrics.time_to_resolve.labels(team=team_label(view)).observe(seconds)
