"""Alerts and silences from chat, through Alertmanager's API v2 (``ALERTMANAGER_URL``).

``/alerts [team|service]``: the alerts Alertmanager holds, with their state (silenced
until, claimed by whom on their card); a team name keeps the alerts its routes
(``alerts.routes[].team``) accept, any other word the alerts of that service.
``--clusters all`` (or ``a,b``) asks every cluster's Alertmanager at once: a section per
cluster, a line for each whose Alertmanager is not configured or gave no answer.
``/silences``: the active silences, each with an Unsilence button (operator, for the
namespace the silence matches: every namespace when it names none).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.access import ALL, Requires, Role, Scope
from bot.cards.fanout import ClusterSection, fanout_card
from bot.cards.incidents import AlertRow, SilenceRow, alert_line, alerts_card, silences_card
from bot.cluster_scope import EVERY, fanout_clusters
from bot.context import ActionContext, Context
from bot.fanout import Answered, Outcome, fan_out
from bot.registry import DependencyError, Registry, Skill, UsageError, no_arguments
from bot.services import Alertmanager, Services
from skills.alerts.delivery import SERVICE_LABELS
from skills.alerts.routing import parse_routing
from skills.alerts.silence import SilenceFailed
from skills.alerts.state import group_of, load_record
from skills.arguments import take_clusters
from skills.cluster_outcomes import answer_of

__all__ = ["register_chat", "matcher_text", "parse_alerts"]


@dataclass(frozen=True)
class AlertsRequest:
    scope: str = ""
    clusters: tuple[str, ...] | None = None  # --clusters: ("all",) or names


def parse_alerts(args: Sequence[str]) -> AlertsRequest:
    clusters, args = take_clusters(args)
    if len(args) > 1:
        raise UsageError("usage.unexpected_arguments", args=" ".join(args[1:]))
    return AlertsRequest(args[0] if args else "", clusters)


def alerts_scope(request: AlertsRequest, _ctx: Context) -> Scope:
    """--clusters: the one cluster named, else every cluster; without it the chat's.

    (Reads need no namespace: Alertmanager's alerts are not checked per namespace.)"""
    if request.clusters is None:
        return Scope()
    one = len(request.clusters) == 1 and request.clusters[0] != EVERY
    return Scope(cluster=request.clusters[0] if one else ALL)


def _client(services: Services) -> Alertmanager:
    client = services.alertmanager
    if client is None:
        raise DependencyError("Alertmanager", "not configured (set ALERTMANAGER_URL)")
    return client


def matcher_text(matchers: Sequence[Mapping[str, Any]]) -> str:
    """Alertmanager's matchers as it writes them: ``{alertname="X", pod=~"api-.*"}``."""
    parts = []
    for m in matchers:
        equal, regex = m.get("isEqual", True), m.get("isRegex", False)
        op = ("=~" if regex else "=") if equal else ("!~" if regex else "!=")
        parts.append(f'{m.get("name", "")}{op}"{m.get("value", "")}"')
    return "{" + ", ".join(parts) + "}"


def _time(value: Any) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _filter(scope: str, services: Services) -> Callable[[Mapping[str, str]], bool]:
    """Which alerts ``/alerts <scope>`` keeps: a team's routes, else a service."""
    if not scope:
        return lambda _labels: True
    routing = parse_routing(services.settings.alerts)
    team_routes = [r for r in routing.routes if r.team == scope]
    if team_routes or scope in services.settings.oncall.teams:
        return lambda labels: any(r.accepts(labels) for r in team_routes)
    return lambda labels: any(labels.get(k) == scope for k in SERVICE_LABELS)


async def _alert_row(
    alert: Mapping[str, Any], silences: Mapping[str, datetime], services: Services
) -> AlertRow:
    labels = {str(k): str(v) for k, v in (alert.get("labels") or {}).items()}
    status = alert.get("status") or {}
    ends = [silences[s] for s in status.get("silencedBy") or [] if s in silences]
    claimed = None
    group = await group_of(services.store, str(alert.get("fingerprint", "")))
    if group:
        record = await load_record(services.store, group)
        claimed = record.view.acked_by if record else None
    service = next((labels[k] for k in SERVICE_LABELS if labels.get(k)), "")
    where = " / ".join(x for x in (labels.get("namespace", ""), service) if x)
    return AlertRow(
        alertname=labels.get("alertname", "alert"),
        where=where,
        severity=labels.get("severity", ""),
        starts=_time(alert.get("startsAt")),
        silenced_until=max(ends) if ends else None,
        claimed_by=claimed,
    )


class AlertmanagerDown(Exception):
    """One cluster's Alertmanager failed (``--clusters``): the message is the cause."""


async def _rows(client: Alertmanager, scope: str, services: Services) -> list[AlertRow]:
    """The alerts ``client`` holds that ``scope`` keeps, newest first, with their state."""
    alerts, silences = await client.alerts(), await client.silences()
    ends = {
        str(s.get("id")): _time(s.get("endsAt"))
        for s in silences
        if (s.get("status") or {}).get("state") == "active"
    }
    keep = _filter(scope, services)
    kept = [a for a in alerts if keep({str(k): str(v) for k, v in (a.get("labels") or {}).items()})]
    kept.sort(key=lambda a: str(a.get("startsAt", "")), reverse=True)
    return [await _alert_row(a, ends, services) for a in kept]


async def list_alerts(request: AlertsRequest, ctx: Context) -> None:
    if request.clusters is not None:
        await _fanout(request, ctx)
        return
    client = _client(ctx.services)
    try:
        rows = await _rows(client, request.scope, ctx.services)
    except SilenceFailed as exc:
        raise DependencyError("Alertmanager", str(exc)) from exc
    await ctx.reply(alerts_card(rows, request.scope, ctx.lang, ctx.settings.runtime.timezone))


def _cluster_section(
    outcome: Outcome[list[AlertRow] | None], ctx: Context, scope: str, timeout: float
) -> ClusterSection:
    name = outcome.cluster
    rows = answer_of(outcome, ctx, timeout, "Alertmanager")
    if isinstance(rows, ClusterSection):
        return rows
    if not rows:
        return ClusterSection(name, ctx.t("alerts.none"))
    tz = ZoneInfo(ctx.settings.runtime.timezone)
    command = " ".join(x for x in ("/alerts", scope, "--cluster", name) if x)
    return ClusterSection(
        name,
        ctx.t("alerts.fanout.count", count=len(rows)),
        lines=[f"- {alert_line(row, ctx.lang, tz)}" for row in rows],
        severity="warning",
        more_command=command,
    )


async def _fanout(request: AlertsRequest, ctx: Context) -> None:
    """Every cluster's Alertmanager asked at once; one card, a section per cluster."""
    assert request.clusters is not None
    names = fanout_clusters(ctx.settings, request.clusters)
    ctx.services = ctx.services.about_every_cluster()  # the card is about several
    timeout = ctx.settings.fanout.timeout_seconds

    async def read(scoped: Services) -> list[AlertRow] | None:
        if scoped.alertmanager is None:
            return None
        try:
            return await _rows(scoped.alertmanager, request.scope, scoped)
        except SilenceFailed as exc:
            raise AlertmanagerDown(str(exc).removeprefix("unreachable: ")) from exc

    outcomes = await fan_out(ctx.services, names, read, timeout)
    sections = [_cluster_section(o, ctx, request.scope, timeout) for o in outcomes]
    firing = sum(len(o.value or []) for o in outcomes if isinstance(o, Answered))
    title = ctx.t("alerts.fanout.title", count=firing, clusters=len(names))
    await ctx.reply(fanout_card(title, sections, ctx.lang, subtitle=request.scope or None))


async def _active_silences(client: Alertmanager) -> list[SilenceRow]:
    try:
        found = await client.silences()
    except SilenceFailed as exc:
        raise DependencyError("Alertmanager", str(exc)) from exc
    rows = [
        SilenceRow(
            id=str(s.get("id", "")),
            matchers=matcher_text(s.get("matchers") or []),
            ends=_time(s.get("endsAt")),
            created_by=str(s.get("createdBy", "")),
            comment=str(s.get("comment", "")),
        )
        for s in found
        if (s.get("status") or {}).get("state") == "active"
    ]
    return sorted(rows, key=lambda r: r.ends)


async def list_silences(_request: None, ctx: Context) -> None:
    rows = await _active_silences(_client(ctx.services))
    await ctx.reply(silences_card(rows, ctx.lang, ctx.settings.runtime.timezone))


async def silence_scope(value: dict[str, Any], ctx: ActionContext) -> Scope:
    """The namespace the silence matches (``namespace="x"``), else every namespace."""
    client = ctx.services.alertmanager
    silence_id = str(value.get("silence_id", ""))
    found = None
    if client is not None:
        try:
            found = await client.get_silence(silence_id)
        except SilenceFailed:
            found = None
    namespace = ALL
    for m in (found or {}).get("matchers") or []:
        equal, regex = m.get("isEqual", True), m.get("isRegex", False)
        if m.get("name") == "namespace" and equal and not regex and m.get("value"):
            namespace = str(m["value"])
    return Scope(namespace=namespace, object_id=silence_id[:40] or None)


async def expire_silence(ctx: ActionContext) -> None:
    client = _client(ctx.services)
    silence_id = str(ctx.value.get("silence_id", ""))
    try:
        found = await client.get_silence(silence_id)
        if found is not None:
            await client.expire(silence_id)
    except SilenceFailed as exc:
        await ctx.services.store.audit.record(
            actor=ctx.user_open_id,
            chat_id=ctx.chat_id,
            action="alert_unsilence",
            result="failed",
            action_id=silence_id[:40] or None,
            detail=str(exc)[:300],
        )
        raise DependencyError("Alertmanager", str(exc)) from exc
    if found is None:
        await ctx.send(ctx.t("alert.gone"))
        return
    matchers = matcher_text(found.get("matchers") or [])
    await ctx.services.store.audit.record(
        actor=ctx.user_open_id,
        chat_id=ctx.chat_id,
        action="alert_unsilence",
        result="ok",
        action_id=silence_id[:40],
        detail=matchers[:500],
    )
    rows = await _active_silences(client)
    await ctx.update_card(silences_card(rows, ctx.lang, ctx.settings.runtime.timezone))
    await ctx.send(ctx.t("silences.expired", who=ctx.user_open_id, matchers=matchers))


def register_chat(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="alerts",
            usage_key="alerts.usage",
            summary_key="alerts.summary",
            handle=list_alerts,
            parse=parse_alerts,
            aliases=("告警",),
            access=Requires(Role.viewer, scope=alerts_scope),
        )
    )
    registry.add_skill(
        Skill(
            name="silences",
            usage_key="silences.usage",
            summary_key="silences.summary",
            handle=list_silences,
            parse=no_arguments,
            aliases=("静默",),
            access=Requires(Role.viewer),
        )
    )
    changes = Requires(Role.operator, changes_state=True, scope=silence_scope)
    registry.action("silence_expire", requires=changes)(expire_silence)
