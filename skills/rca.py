"""/rca <service> [window] [-n namespace]: rank what broke first, from Prometheus metrics.

Answers at once with a "working" card, then patches it with the verdict, the ranked
candidates with evidence, a chart with the onset marked, Kubernetes events (when the
cluster capability is present) and buttons to diagnose or ask the assistant.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from agents import AgentFailed
from analysis.changes import Change, attach_changes
from analysis.evidence import RcaResult, to_json
from analysis.prometheus import NoData
from analysis.workloads import workload_of
from bot.access import Requires, Role, Scope
from bot.cards.card import Card
from bot.cards.notices import notice_card, working_card
from bot.cards.rca import RcaView, rca_card
from bot.context import Context
from bot.registry import DependencyError, Registry, Skill, UsageError
from cluster.changes import changes_between
from cluster.errors import ClusterError
from messages import t
from skills.arguments import NAME, parse_window, take_option
from skills.cluster_access import access_of
from skills.namespaces import default_namespace
from skills.narrative import failure_note, rca_narrative
from skills.rca_links import rca_links
from skills.rca_ranking import analyse, signals_note

__all__ = ["RcaRequest", "parse", "register"]

DEFAULT_WINDOW = "30m"
CHANGES_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class RcaRequest:
    service: str
    window: timedelta
    window_text: str
    namespace: str | None


def parse(args: Sequence[str]) -> RcaRequest:
    namespace, rest = take_option(args, "-n", "--namespace")
    if not rest:
        raise UsageError("usage.missing_argument", name="service")
    if len(rest) > 2:
        raise UsageError("usage.too_many_arguments", args=" ".join(rest[2:]))
    service = rest[0].lower()
    if not NAME.match(service):
        raise UsageError("usage.bad_name", value=rest[0])
    window_text = rest[1].lower() if len(rest) > 1 else DEFAULT_WINDOW
    return RcaRequest(service, parse_window(window_text), window_text, namespace)


def scope(req: RcaRequest, ctx: Context) -> Scope:
    """The namespace named by -n (default: the service's in prometheus.services)."""
    return Scope(namespace=req.namespace or default_namespace(ctx.settings, req.service))


def unknown_service_card(service: str, known: Sequence[str], lang: str) -> Card:
    """A service nobody configured and Prometheus has no data for: most likely a typo."""
    return notice_card(
        t("rca.unknown_service.title", lang, service=service),
        t("rca.unknown_service.body", lang, service=service, known=", ".join(known)),
        "warning",
    )


async def _events(ctx: Context, namespace: str, result: RcaResult) -> list[str]:
    cluster = ctx.services.cluster
    if cluster is None or result.top is None:
        return []
    try:
        events = await cluster.events_for_deployment(namespace, workload_of(result.top.entity))
    except Exception:
        return []
    return [str(e) for e in events]


async def _changes(ctx: Context, namespace: str, start: datetime, end: datetime) -> list[Change]:
    """What changed in the window, when the cluster is there and answers in time."""
    access = access_of(ctx.services.cluster)
    if access is None:
        return []
    try:
        return await asyncio.wait_for(
            changes_between(access, namespace, start, end), CHANGES_TIMEOUT_SECONDS
        )
    except (ClusterError, TimeoutError):
        return []


async def handle(req: RcaRequest, ctx: Context) -> None:
    namespace = req.namespace or default_namespace(ctx.settings, req.service)
    working_id = await ctx.working(
        working_card(
            ctx.lang,
            ctx.t("rca.title", service=req.service),
            ctx.t("rca.working", service=req.service, window=req.window_text),
        )
    )
    started = time.perf_counter()
    end = ctx.services.clock()
    start = end - req.window
    try:
        frame, result = await analyse(
            ctx.services.prometheus, req.service, namespace, end - req.window, end, lang=ctx.lang
        )
    except DependencyError as exc:
        known = sorted(ctx.settings.prometheus.services)
        if isinstance(exc.__cause__, NoData) and known and req.service not in known:
            await ctx.patch(working_id, unknown_service_card(req.service, known, ctx.lang))
            return
        raise
    ctx.services.outages.recovered("Prometheus")
    result = attach_changes(result, await _changes(ctx, namespace, end - req.window, end))
    events = await _events(ctx, namespace, result)
    footer = ctx.t(
        "rca.footer",
        series=frame.groupby(["entity", "metric"]).ngroups,
        seconds=f"{time.perf_counter() - started:.1f}",
    )
    timezone = str(ctx.settings.runtime.timezone)
    view = RcaView(
        req.service,
        namespace,
        req.window_text,
        result,
        frame,
        events,
        footer,
        timezone=timezone,
        now=end,
        signals=signals_note(ctx.services.prometheus, req.service, frame, ctx.lang),
        links=rca_links(
            ctx.settings,
            ctx.services.prometheus,
            req.service,
            namespace,
            result,
            start,
            end,
            grafana_base=ctx.services.grafana_base(),
        ),
    )
    agents = ctx.services.agents
    if agents is None or agents.status != "enabled" or result.top is None:
        await ctx.patch(working_id, rca_card(view, ctx.lang))
        return
    working = replace(view, narrative=ctx.t("narrative.working"))
    await ctx.patch(working_id, rca_card(working, ctx.lang))
    await ctx.patch(working_id, rca_card(await _narrate(agents, view, ctx), ctx.lang))


async def _narrate(agents: Any, view: RcaView, ctx: Context) -> RcaView:
    """The deterministic card plus the agents' narrative, or a note saying why not."""
    evidence = {
        "service": view.service,
        "namespace": view.namespace,
        "window": view.window,
        **to_json(view.result),
        "kubernetes_events": list(view.events),
    }
    try:
        report = await agents.narrate_rca(
            evidence, f"/rca {view.service} {view.window}", lang=ctx.lang
        )
    except AgentFailed as exc:
        return replace(view, narrative=failure_note(exc, ctx.lang))
    if report is None:
        return view
    body, cost = rca_narrative(report, ctx.lang)
    return replace(view, narrative=body, footer=f"{view.footer} · {cost}")


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="rca",
            usage_key="rca.usage",
            summary_key="rca.summary",
            parse=parse,
            handle=handle,
            aliases=("根因",),
            access=Requires(Role.viewer, scope=scope),
        )
    )
