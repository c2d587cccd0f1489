"""Who is on call at an instant: a rota of members, plus overrides and swaps. Pure.

Shifts are counted in the team's local wall time, so a daylight-saving change moves
nothing: the handover stays at ``handover`` local time. Shift 0 starts at ``handover`` on
the rota's ``start`` date (default 1970-01-05, the first Monday after the Unix epoch,
so weekly shifts change on Mondays); shift ``n`` belongs to ``members[n % len]``. A
``weekly`` shift lasts seven local days, a ``daily`` one a local day.

Changes apply on top, while ``starts <= at < ends``: a swap exchanges two members'
turns (the one on call becomes the other), then the latest override names who is on
call whatever the rota says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

__all__ = ["Rota", "Change", "Shift", "ANCHOR", "shift_at", "on_call", "next_on_call", "swap_end"]

ANCHOR = date(1970, 1, 5)  # the first Monday after the Unix epoch


@dataclass(frozen=True)
class Rota:
    members: tuple[str, ...]
    rotation: Literal["daily", "weekly"] = "weekly"
    handover: time = time(10, 0)
    timezone: str = "Asia/Shanghai"
    start: date = ANCHOR

    @property
    def days(self) -> int:
        return 7 if self.rotation == "weekly" else 1


@dataclass(frozen=True)
class Change:
    kind: Literal["override", "swap"]
    people: tuple[str, ...]  # override: (who,); swap: (a, b)
    starts: datetime
    ends: datetime


@dataclass(frozen=True)
class Shift:
    index: int
    member: str
    starts: datetime
    ends: datetime


def _start_of(rota: Rota, index: int) -> datetime:
    day = rota.start + timedelta(days=index * rota.days)
    return datetime.combine(day, rota.handover, tzinfo=ZoneInfo(rota.timezone))


def shift_at(rota: Rota, at: datetime) -> Shift:
    """The rota's shift (without changes) holding the instant ``at`` (timezone-aware)."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    local = at.astimezone(ZoneInfo(rota.timezone))
    days = (local.date() - rota.start).days
    if local.time().replace(tzinfo=None) < rota.handover:
        days -= 1
    index = days // rota.days
    return _shift(rota, index)


def _shift(rota: Rota, index: int) -> Shift:
    member = rota.members[index % len(rota.members)]
    return Shift(index, member, _start_of(rota, index), _start_of(rota, index + 1))


def _apply(member: str, at: datetime, changes: Sequence[Change]) -> str:
    at = at.astimezone(UTC)  # compare instants, not wall times
    active = [c for c in changes if c.starts <= at < c.ends]
    for change in active:
        if change.kind == "swap" and member in change.people:
            a, b = change.people
            member = b if member == a else a
    overrides = [c for c in active if c.kind == "override"]
    if overrides:
        member = max(overrides, key=lambda c: c.starts).people[0]
    return member


def on_call(rota: Rota, at: datetime, changes: Sequence[Change] = ()) -> str:
    """Who answers at ``at``: the rota's member, swaps, then the latest override."""
    return _apply(shift_at(rota, at).member, at, changes)


def next_on_call(rota: Rota, at: datetime, changes: Sequence[Change] = ()) -> tuple[str, datetime]:
    """Who takes over at the next handover after ``at``, and when."""
    following = _shift(rota, shift_at(rota, at).index + 1)
    return _apply(following.member, following.starts, changes), following.starts


def swap_end(rota: Rota, at: datetime, a: str, b: str) -> datetime:
    """When a swap of ``a`` and ``b`` made at ``at`` ends by default: once both have
    served the next shift (the current one included) that was theirs."""
    current = shift_at(rota, at).index
    ends: dict[str, datetime] = {}
    for index in range(current, current + 2 * len(rota.members) + 1):
        shift = _shift(rota, index)
        if shift.member in (a, b) and shift.member not in ends:
            ends[shift.member] = shift.ends
        if len(ends) == 2:
            break
    if not ends:
        raise ValueError("neither person is on this rota")
    return max(ends.values())
