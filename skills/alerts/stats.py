"""``/incident stats [7d]``: incidents, MTTA and MTTR per on-call team over a period.

Not registered here: the ``/incident`` skill dispatches its ``stats`` subcommand to
``parse_stats`` and ``stats``. A group's team is the one its alert card recorded (its
route's team, else its ``team`` label); groups whose card is no longer kept (30 days
after its last change) count as ``none``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.cards.incident_stats import incident_stats_card
from bot.context import Context
from bot.registry import UsageError
from bot.state import Store
from skills.alerts.response_times import NO_TEAM, incidents_of, team_label, team_response
from skills.alerts.state import load_record
from skills.arguments import parse_window

__all__ = ["StatsRequest", "parse_stats", "stats", "DEFAULT_PERIOD"]

DEFAULT_PERIOD = "7d"
LEAST, MOST = timedelta(hours=1), timedelta(days=90)  # timelines are kept 90 days


@dataclass(frozen=True)
class StatsRequest:
    period: timedelta
    text: str  # as typed ("7d"), for the card's title


def parse_stats(args: Sequence[str]) -> StatsRequest:
    """``[stats] [period]``: the period from 1h to 90d, 7d when absent."""
    rest = list(args[1:] if args and args[0].lower() == "stats" else args)
    if len(rest) > 1:
        raise UsageError("usage.unexpected_arguments", args=" ".join(rest[1:]))
    text = rest[0].lower() if rest else DEFAULT_PERIOD
    return StatsRequest(parse_window(text, least=LEAST, most=MOST), text)


async def _teams(store: Store, keys: set[str]) -> dict[str, str]:
    found = {}
    for key in sorted(keys):
        record = await load_record(store, key)
        found[key] = team_label(record.view) if record is not None else NO_TEAM
    return found


async def stats(request: StatsRequest, ctx: Context) -> None:
    """Reply with the stats card of the incidents that fired in the period."""
    store = ctx.services.store
    end = ctx.services.clock()
    start = end - request.period
    incidents = incidents_of(await store.timeline.between(start, end))
    teams = await _teams(store, {i.key for i in incidents})
    rows = team_response(incidents, teams, start, end)
    await ctx.reply(incident_stats_card(rows, request.text, ctx.lang))
