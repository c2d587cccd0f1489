"""The configured teams as rotas, and who answers for a team now (rota + stored changes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from bot.services import Services
from config.settings import OncallTeam
from skills.oncall.rota import ANCHOR, Change, Rota, next_on_call, on_call

__all__ = ["OnCall", "rota_of", "changes_of", "who_is_on_call", "teams_of"]


@dataclass(frozen=True)
class OnCall:
    team: str
    current: str
    next: str
    handover: datetime  # when ``next`` takes over


def rota_of(team: OncallTeam) -> Rota:
    hour, minute = (int(x) for x in team.handover.split(":"))
    return Rota(
        tuple(team.members), team.rotation, time(hour, minute), team.timezone, team.start or ANCHOR
    )


async def changes_of(services: Services, team: str, now: datetime) -> list[Change]:
    records = await services.store.oncall.active(team, now)
    return [Change(r.kind, r.people, r.starts, r.ends) for r in records]  # type: ignore[arg-type]


async def who_is_on_call(services: Services, team: str, now: datetime) -> OnCall | None:
    """The team's current and next person; None for a team that is not configured."""
    config = services.settings.oncall.teams.get(team)
    if config is None:
        return None
    rota = rota_of(config)
    changes = await changes_of(services, team, now)
    following, when = next_on_call(rota, now, changes)
    # An override that ends before the handover hands back to the rota's person first.
    ends = [c.ends for c in changes if c.starts <= now < c.ends and c.ends < when]
    if ends:
        following, when = on_call(rota, min(ends), changes), min(ends)
    return OnCall(team, on_call(rota, now, changes), following, when)


def teams_of(services: Services, open_id: str) -> list[str]:
    return [
        name for name, team in services.settings.oncall.teams.items() if open_id in team.members
    ]
