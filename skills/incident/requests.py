"""``/incident`` parsed: which sub-command, with what, and what each needs (``bot.access``).

``start <title> [--sev 1-4]`` and the in-group changes (``sev``, ``assign``, ``note``,
``resolve``) need the operator role; ``status`` and ``timeline`` are reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.access import PerRequest, Requires, Role, Scope
from bot.registry import UsageError
from skills.alerts.stats import StatsRequest, parse_stats

__all__ = [
    "TimelineRequest",
    "PostmortemRequest",
    "StartRequest",
    "StatusRequest",
    "SevRequest",
    "AssignRequest",
    "NoteRequest",
    "ResolveRequest",
    "IncidentRequest",
    "parse",
    "parse_severity",
    "ACCESS",
    "DEFAULT_SEVERITY",
]

DEFAULT_SEVERITY = 3


@dataclass(frozen=True)
class TimelineRequest:
    alertname: str | None = None


@dataclass(frozen=True)
class PostmortemRequest:
    alertname: str | None = None  # none: the war room's incident, or the latest alert


@dataclass(frozen=True)
class StartRequest:
    title: str
    severity: int = DEFAULT_SEVERITY


@dataclass(frozen=True)
class StatusRequest:
    pass


@dataclass(frozen=True)
class SevRequest:
    severity: int


@dataclass(frozen=True)
class AssignRequest:
    people: tuple[str, ...] = ()  # typed open_ids; mentions come with the message


@dataclass(frozen=True)
class NoteRequest:
    text: str


@dataclass(frozen=True)
class ResolveRequest:
    pass


IncidentRequest = (
    TimelineRequest
    | PostmortemRequest
    | StatsRequest
    | StartRequest
    | StatusRequest
    | SevRequest
    | AssignRequest
    | NoteRequest
    | ResolveRequest
)


def parse_severity(value: str) -> int:
    text = value.strip().upper().removeprefix("P").removeprefix("SEV")
    if not text.isdigit() or not 1 <= int(text) <= 4:
        raise UsageError("incident.bad_severity", value=value)
    return int(text)


def _none(rest: list[str]) -> None:
    if rest:
        raise UsageError("usage.unexpected_arguments", args=" ".join(rest))


def _start(rest: list[str]) -> StartRequest:
    severity, words = DEFAULT_SEVERITY, []
    items = iter(rest)
    for word in items:
        if word in ("--sev", "-s"):
            value = next(items, None)
            if value is None:
                raise UsageError("usage.missing_argument", name="--sev")
            severity = parse_severity(value)
        elif word.startswith("--sev="):
            severity = parse_severity(word.removeprefix("--sev="))
        else:
            words.append(word)
    title = " ".join(words).strip()
    if not title:
        raise UsageError("usage.missing_argument", name="<title>")
    return StartRequest(title, severity)


def parse(args: Sequence[str]) -> IncidentRequest:
    if not args:
        raise UsageError("usage.missing_argument", name="start | status | timeline")
    verb, rest = args[0].lower(), list(args[1:])
    if verb == "timeline":
        if len(rest) > 1:
            raise UsageError("usage.unexpected_arguments", args=" ".join(rest[1:]))
        return TimelineRequest(rest[0] if rest else None)
    if verb == "postmortem":
        if len(rest) > 1:
            raise UsageError("usage.unexpected_arguments", args=" ".join(rest[1:]))
        return PostmortemRequest(rest[0] if rest else None)
    if verb == "stats":
        return parse_stats(args)
    if verb == "start":
        return _start(rest)
    if verb == "status":
        _none(rest)
        return StatusRequest()
    if verb == "sev":
        if len(rest) != 1:
            raise UsageError("usage.missing_argument", name="<1-4>")
        return SevRequest(parse_severity(rest[0]))
    if verb == "assign":
        _none([a for a in rest if not a.startswith("ou_")])
        return AssignRequest(tuple(rest))
    if verb == "note":
        text = " ".join(rest).strip()
        if not text:
            raise UsageError("usage.missing_argument", name="<text>")
        return NoteRequest(text)
    if verb == "resolve":
        _none(rest)
        return ResolveRequest()
    raise UsageError("usage.unexpected_arguments", args=" ".join(args))


async def incident_scope(request: Any, ctx: Any) -> Scope:
    """The namespace of the war room's incident (none outside a war room)."""
    found = await ctx.services.store.incidents.in_chat(ctx.chat_id)
    return Scope(namespace=found.namespace if found else None)


_VARIANTS = {
    StartRequest: "start",
    StatusRequest: "status",
    SevRequest: "sev",
    AssignRequest: "assign",
    NoteRequest: "note",
    ResolveRequest: "resolve",
}


def _variant(request: IncidentRequest) -> str:
    return _VARIANTS.get(type(request), "")


_CHANGE = Requires(Role.operator, changes_state=True, scope=incident_scope)
ACCESS = PerRequest(
    _variant,
    {
        "": Requires(Role.viewer),
        "start": Requires(Role.operator, changes_state=True),
        "status": Requires(Role.viewer, scope=incident_scope),
        "sev": _CHANGE,
        "assign": _CHANGE,
        "note": _CHANGE,
        "resolve": _CHANGE,
    },
)
