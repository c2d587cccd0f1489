"""The on-call rota across handovers, overrides, swaps and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from skills.oncall.rota import ANCHOR, Change, Rota, next_on_call, on_call, shift_at, swap_end

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
TEAM = ("ou_alice", "ou_bob", "ou_carol")


def at(tz: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=tz)  # type: ignore[misc]


def test_the_default_anchor_is_the_first_monday_after_the_epoch() -> None:
    assert ANCHOR.weekday() == 0
    assert ANCHOR - date(1970, 1, 1) < timedelta(days=7)


def test_weekly_shifts_change_on_the_anchor_weekday_at_the_handover() -> None:
    rota = Rota(TEAM, "weekly", time(10, 0), "Asia/Shanghai", start=date(2026, 3, 2))
    assert on_call(rota, at(SHANGHAI, 2026, 3, 2, 10, 0)) == "ou_alice"
    assert on_call(rota, at(SHANGHAI, 2026, 3, 9, 9, 59)) == "ou_alice"
    assert on_call(rota, at(SHANGHAI, 2026, 3, 9, 10, 0)) == "ou_bob"
    assert on_call(rota, at(SHANGHAI, 2026, 3, 16, 10, 0)) == "ou_carol"
    assert on_call(rota, at(SHANGHAI, 2026, 3, 23, 10, 0)) == "ou_alice"
    # Before the anchor the rota runs backwards: the week before belongs to the last member.
    assert on_call(rota, at(SHANGHAI, 2026, 3, 2, 9, 0)) == "ou_carol"


def test_daily_shifts_and_the_next_person() -> None:
    rota = Rota(TEAM, "daily", time(9, 30), "Asia/Shanghai", start=date(2026, 3, 1))
    now = at(SHANGHAI, 2026, 3, 2, 9, 29)
    assert on_call(rota, now) == "ou_alice"
    person, when = next_on_call(rota, now)
    assert (person, when) == ("ou_bob", at(SHANGHAI, 2026, 3, 2, 9, 30))
    assert on_call(rota, when) == "ou_bob"


def test_an_instant_in_another_timezone_is_read_in_the_team_timezone() -> None:
    rota = Rota(TEAM, "daily", time(10, 0), "Asia/Shanghai", start=date(2026, 3, 1))
    # 01:59 UTC is 09:59 in Shanghai, 02:00 UTC is 10:00.
    assert on_call(rota, datetime(2026, 3, 2, 1, 59, tzinfo=UTC)) == "ou_alice"
    assert on_call(rota, datetime(2026, 3, 2, 2, 0, tzinfo=UTC)) == "ou_bob"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # Spring forward: Sunday 29 March 2026, 02:00 CET -> 03:00 CEST.
        (date(2026, 3, 28), date(2026, 3, 30)),
        # Fall back: Sunday 25 October 2026, 03:00 CEST -> 02:00 CET.
        (date(2026, 10, 24), date(2026, 10, 26)),
    ],
)
def test_the_handover_stays_at_local_time_across_daylight_saving(before: date, after: date) -> None:
    rota = Rota(TEAM, "daily", time(10, 0), "Europe/Berlin", start=before)
    for offset in range((after - before).days + 1):
        day = before + timedelta(days=offset)
        handover = datetime.combine(day, time(10, 0), tzinfo=BERLIN)
        assert on_call(rota, handover - timedelta(minutes=1)) == TEAM[(offset - 1) % 3]
        assert on_call(rota, handover) == TEAM[offset % 3]
        shift = shift_at(rota, handover)
        assert shift.starts == handover
        assert shift.ends.astimezone(BERLIN).time() == time(10, 0)
    # The shift that spans the change is an hour shorter (spring) or longer (autumn).
    # (Subtract in UTC: Python subtracts wall times within one tzinfo.)
    spanning = shift_at(rota, datetime.combine(before, time(10, 0), BERLIN))
    length = spanning.ends.astimezone(UTC) - spanning.starts.astimezone(UTC)
    assert length in (timedelta(hours=23), timedelta(hours=25))


def test_a_weekly_berlin_rota_keeps_monday_ten_oclock_after_the_change() -> None:
    rota = Rota(TEAM, "weekly", time(10, 0), "Europe/Berlin")
    monday = at(BERLIN, 2026, 3, 30, 10, 0)  # the first Monday of summer time
    assert shift_at(rota, monday).starts == monday
    assert shift_at(rota, monday - timedelta(seconds=1)).ends == monday
    assert monday.utcoffset() == timedelta(hours=2)


def test_an_override_wins_while_it_lasts() -> None:
    rota = Rota(TEAM, "weekly", time(10, 0), "Asia/Shanghai", start=date(2026, 3, 2))
    now = at(SHANGHAI, 2026, 3, 3, 12, 0)
    cover = Change("override", ("ou_carol",), now, now + timedelta(hours=2))
    assert on_call(rota, now, [cover]) == "ou_carol"
    assert on_call(rota, now + timedelta(hours=2), [cover]) == "ou_alice"
    later = Change("override", ("ou_bob",), now + timedelta(hours=1), now + timedelta(hours=3))
    assert on_call(rota, now + timedelta(minutes=90), [cover, later]) == "ou_bob"


def test_a_swap_exchanges_turns_until_it_ends() -> None:
    rota = Rota(TEAM, "weekly", time(10, 0), "Asia/Shanghai", start=date(2026, 3, 2))
    now = at(SHANGHAI, 2026, 3, 3, 12, 0)  # alice's week; bob's is next
    ends = swap_end(rota, now, "ou_alice", "ou_bob")
    assert ends == at(SHANGHAI, 2026, 3, 16, 10, 0)  # the end of bob's week
    swap = Change("swap", ("ou_alice", "ou_bob"), now, ends)
    assert on_call(rota, now, [swap]) == "ou_bob"
    assert next_on_call(rota, now, [swap]) == ("ou_alice", at(SHANGHAI, 2026, 3, 9, 10, 0))
    assert on_call(rota, at(SHANGHAI, 2026, 3, 16, 10, 0), [swap]) == "ou_carol"
    # A swap between people not on call changes nothing now.
    other = Change("swap", ("ou_bob", "ou_carol"), now, ends)
    assert on_call(rota, now, [other]) == "ou_alice"


def test_an_instant_without_timezone_is_refused() -> None:
    with pytest.raises(ValueError):
        shift_at(Rota(TEAM), datetime(2026, 3, 2, 10, 0))
