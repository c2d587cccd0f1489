"""``/oncall``: who is on call per team; ``/oncall swap @a @b [until]``; ``/oncall override
@a <duration> [team]``.

People are @-mentioned (or written as open_ids ``ou_...``). A swap needs two members of
one team and lasts until ``until`` (a duration such as ``3d``, or a date ``2026-12-10``,
midnight in the team's timezone), by default until both have served their next shift.
An override makes a member of the team the on-call person for the duration (5m to
30d); a member of several teams names the team last. Changes are stored (the state
store's ``oncall_changes``) and audited; reading needs viewer, changing needs operator.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.access import PerRequest, Requires, Role
from bot.cards.notices import usage_card
from bot.cards.oncall import ChangeRow, oncall_card
from bot.context import Context
from bot.registry import Registry, Skill, UsageError
from skills.arguments import parse_window
from skills.oncall.rota import Rota, swap_end
from skills.oncall.teams import rota_of, teams_of, who_is_on_call

__all__ = ["register", "parse", "ShowRequest", "SwapRequest", "OverrideRequest"]

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ShowRequest:
    pass


@dataclass(frozen=True)
class SwapRequest:
    people: tuple[str, ...]
    until: str | None = None


@dataclass(frozen=True)
class OverrideRequest:
    people: tuple[str, ...]
    duration: timedelta
    team: str | None = None


Request = ShowRequest | SwapRequest | OverrideRequest


def parse(args: Sequence[str]) -> Request:
    if not args:
        return ShowRequest()
    verb, rest = args[0].lower(), list(args[1:])
    people = tuple(a for a in rest if a.startswith("ou_"))
    words = [a for a in rest if not a.startswith("ou_")]
    if verb == "swap":
        if len(words) > 1:
            raise UsageError("usage.unexpected_arguments", args=" ".join(words[1:]))
        return SwapRequest(people, words[0] if words else None)
    if verb == "override":
        if not words:
            raise UsageError("usage.missing_argument", name="<duration>")
        if len(words) > 2:
            raise UsageError("usage.unexpected_arguments", args=" ".join(words[2:]))
        duration = parse_window(words[0], least=timedelta(minutes=5), most=timedelta(days=30))
        return OverrideRequest(people, duration, words[1] if len(words) > 1 else None)
    raise UsageError("usage.unexpected_arguments", args=" ".join(args))


def _variant(request: Request) -> str:
    return {SwapRequest: "swap", OverrideRequest: "override"}.get(type(request), "")


ACCESS = PerRequest(
    _variant,
    {
        "": Requires(Role.viewer),
        "swap": Requires(Role.operator, changes_state=True),
        "override": Requires(Role.operator, changes_state=True),
    },
)


def _people(request: SwapRequest | OverrideRequest, ctx: Context) -> list[str]:
    """Mentioned people (not the bot) in order, then the typed open_ids."""
    bot = ctx.services.bot_open_id
    mentioned = ctx.message.mentioned_open_ids if ctx.message else ()
    found: list[str] = []
    for person in (*mentioned, *request.people):
        if person and person != bot and person not in found:
            found.append(person)
    return found


class Refused(Exception):
    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _until(text: str, rota: Rota, now: datetime) -> datetime:
    if DATE.match(text):
        try:
            day = datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            raise Refused("oncall.error.until", value=text) from None
        until = day.replace(tzinfo=ZoneInfo(rota.timezone))
    else:
        try:
            until = now + parse_window(text, least=timedelta(minutes=5), most=timedelta(days=90))
        except UsageError:
            raise Refused("oncall.error.until", value=text) from None
    if until <= now:
        raise Refused("oncall.error.past", value=text)
    return until


def _team_for(ctx: Context, people: list[str], named: str | None) -> str:
    teams = ctx.settings.oncall.teams
    if named is not None:
        if named not in teams:
            raise Refused("oncall.error.unknown_team", team=named)
        for person in people:
            if person not in teams[named].members:
                raise Refused("oncall.error.not_member", who=person, team=named)
        return named
    common = set(teams_of(ctx.services, people[0]))
    for person in people[1:]:
        common &= set(teams_of(ctx.services, person))
    if not common:
        if len(people) == 1:
            raise Refused("oncall.error.not_member", who=people[0], team="—")
        raise Refused("oncall.error.no_common_team")
    if len(common) > 1:
        raise Refused("oncall.error.which_team", who=people[0], teams=", ".join(sorted(common)))
    return common.pop()


async def _change(request: SwapRequest | OverrideRequest, ctx: Context, now: datetime) -> None:
    people = _people(request, ctx)
    wanted = 2 if isinstance(request, SwapRequest) else 1
    if len(people) != wanted:
        raise Refused("oncall.error.people", count=str(wanted))
    named = request.team if isinstance(request, OverrideRequest) else None
    team = _team_for(ctx, people, named)
    rota = rota_of(ctx.settings.oncall.teams[team])
    if isinstance(request, SwapRequest):
        a, b = people
        ends = _until(request.until, rota, now) if request.until else swap_end(rota, now, a, b)
        kind = "swap"
    else:
        ends, kind = now + request.duration, "override"
    record = await ctx.services.store.oncall.add(
        team=team,
        kind=kind,
        people=tuple(people),
        starts=now,
        ends=ends,
        created_by=ctx.user_open_id,
    )
    await ctx.services.store.audit.record(
        actor=ctx.user_open_id,
        chat_id=ctx.chat_id,
        action=f"oncall_{kind}",
        result="ok",
        action_id=record.id,
        detail=f"{team}: {','.join(people)} until {ends.astimezone(UTC).isoformat()}",
    )


async def _show(ctx: Context, now: datetime) -> None:
    rows = []
    changes: list[ChangeRow] = []
    for team in ctx.settings.oncall.teams:
        found = await who_is_on_call(ctx.services, team, now)
        if found is not None:
            rows.append(found)
        for change in await ctx.services.store.oncall.active(team, now):
            changes.append(
                ChangeRow(team, change.kind, change.people, change.ends, change.created_by)
            )
    await ctx.reply(oncall_card(rows, changes, ctx.lang, ctx.settings.runtime.timezone))


async def handle(request: Request, ctx: Context) -> None:
    now = ctx.services.clock()
    if not isinstance(request, ShowRequest):
        try:
            await _change(request, ctx, now)
        except Refused as refused:
            problem = ctx.t(refused.key, **refused.params)
            await ctx.reply(usage_card(ctx.lang, problem, ctx.t("oncall.usage")))
            return
    await _show(ctx, now)


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="oncall",
            usage_key="oncall.usage",
            summary_key="oncall.summary",
            handle=handle,
            parse=parse,
            aliases=("值班",),
            access=ACCESS,
        )
    )
