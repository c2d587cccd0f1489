"""/diagnose [kind/name] [-n ns] [--all-namespaces] [--clusters all|a,b]: findings of every kind.

A namespace (or, for approvers of ``*``, every namespace) gets one summary line per object
a person would fix, with a Details button each; ``svc/orders``, ``sts/db``, ``node/n1`` ...
diagnose one object; a plain name keeps meaning the Deployment. Read-only: the only
button that leads to a change is "Propose fix" on a Deployment's detail card.
``--clusters`` surveys the namespace in several clusters at once: a section per cluster,
a line for each that gave no answer in ``fanout.timeout_seconds``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.access import ALL, Requires, Role, Scope
from bot.access.approvers import may_approve
from bot.cards.card import Card, Severity
from bot.cards.fanout import ClusterSection, fanout_card
from bot.cards.fix import WorkloadFindings, diagnosis_card
from bot.cards.notices import notice_card, working_card
from bot.cards.survey import CARD_SEVERITY, ObjectLine, details_button, object_line, survey_card
from bot.cluster_scope import EVERY, fanout_clusters
from bot.context import ActionContext, Context
from bot.fanout import Outcome, fan_out
from bot.registry import Registry, Skill, UsageError
from bot.services import Services
from bot.texts.cluster import finding_texts, finding_title
from cluster import ClusterError, Diagnosis, diagnose_deployment
from cluster.errors import NotFound
from cluster.inventory import KIND_NAMES, webhook_namespace
from cluster.survey import Survey, survey_namespace, survey_namespaces
from cluster.targets import (
    CLUSTER_SCOPED,
    KIND_ALIASES,
    WEBHOOK_KINDS,
    parse_target,
    target_key,
)
from skills.arguments import NAME, take_clusters, take_option
from skills.cluster_access import require_access
from skills.cluster_failures import cluster_failure_card
from skills.cluster_outcomes import answer_of
from skills.namespaces import button_scope

__all__ = ["DiagnoseRequest", "parse", "register", "workload_findings", "survey_lines"]

MAX_NAMESPACES = 100  # --all-namespaces reads at most this many
ALL_FLAGS = ("--all-namespaces", "-A")
SUMMARY_TITLES = 2  # findings named on an object's summary line


@dataclass(frozen=True)
class DiagnoseRequest:
    deployment: str | None
    namespace: str | None
    kind: str | None = None  # set for kind/name targets other than a plain Deployment name
    name: str | None = None
    all_namespaces: bool = False
    clusters: tuple[str, ...] | None = None  # --clusters: ("all",) or names


def parse(args: Sequence[str]) -> DiagnoseRequest:
    clusters, args = take_clusters(args)
    request = _parse(args)
    if clusters is None:
        return request
    if request.all_namespaces or request.deployment or request.kind:
        raise UsageError("diagnose.clusters.survey_only")
    return replace(request, clusters=clusters)


def _parse(args: Sequence[str]) -> DiagnoseRequest:
    namespace, rest = take_option(args, "-n", "--namespace")
    everywhere = any(a in ALL_FLAGS for a in rest)
    rest = [a for a in rest if a not in ALL_FLAGS]
    if len(rest) > 1:
        raise UsageError("usage.too_many_arguments", args=" ".join(rest[1:]))
    if everywhere and (rest or namespace):
        raise UsageError("diagnose.all_namespaces.alone")
    if not rest:
        return DiagnoseRequest(None, namespace, all_namespaces=everywhere)
    try:
        kind, name = parse_target(rest[0])
    except ValueError:
        raise UsageError("diagnose.bad_kind", kinds=", ".join(sorted(KIND_ALIASES))) from None
    if not NAME.match(name):
        raise UsageError("usage.bad_name", value=name)
    if kind == "Deployment" and "/" not in rest[0]:
        return DiagnoseRequest(name, namespace)
    return DiagnoseRequest(None, namespace, kind, name)


def scope(req: DiagnoseRequest, ctx: Context) -> Scope:
    """The namespace named by -n (default: default); every namespace with
    --all-namespaces (which also needs an approver of "*", checked by the skill). With
    ``--clusters`` naming one cluster, that cluster; all or several: every cluster."""
    if req.all_namespaces:
        return Scope(namespace=ALL)
    namespace = req.namespace or "default"
    if req.clusters is not None:
        one = len(req.clusters) == 1 and req.clusters[0] != EVERY
        return Scope(namespace=namespace, cluster=req.clusters[0] if one else ALL)
    return Scope(namespace=namespace)


def workload_findings(diagnosis: Diagnosis, lang: str) -> WorkloadFindings:
    namespace, _, name = diagnosis.target.split("/", 2)
    return WorkloadFindings(
        namespace, name, finding_texts(diagnosis.findings, lang), fixable=bool(diagnosis.plans)
    )


def survey_lines(survey: Survey, lang: str) -> list[ObjectLine]:
    """One line per object: the titles of its (at most) two worst findings."""
    lines: list[ObjectLine] = []
    for entry in survey.objects:
        worst = [f for f in entry.findings if f.severity == entry.severity][:SUMMARY_TITLES]
        summary = "; ".join(finding_title(f, lang) for f in worst)
        count = len(entry.findings) - len(worst) + 1
        lines.append(
            ObjectLine(entry.namespace, entry.kind, entry.name, entry.severity, summary, count)
        )
    return lines


def _notes(survey: Survey, ctx: Context | ActionContext) -> list[str]:
    notes: list[str] = []
    rules = sorted({f.rule for f in survey.failures})
    if rules:
        notes.append(ctx.t("diagnose.rule_failures", rules=", ".join(rules)))
    if survey.unreadable:
        kinds = ", ".join(KIND_NAMES.get(field, field) for field in survey.unreadable)
        notes.append(ctx.t("diagnose.unreadable", kinds=kinds))
    return notes


async def _deployment(req: DiagnoseRequest, ctx: Context, namespace: str) -> None:
    """The Deployment card as before: findings with evidence and "Propose fix"."""
    access = require_access(ctx)
    assert req.deployment is not None
    title = ctx.t("diagnose.title.deployment", namespace=namespace, deployment=req.deployment)
    working_id = await ctx.working(working_card(ctx.lang, title, ctx.t("diagnose.working")))
    started = time.perf_counter()
    try:
        diagnosis = await diagnose_deployment(access, namespace, req.deployment)
    except ClusterError as error:
        await ctx.patch(working_id, cluster_failure_card(ctx, error, req.deployment))
        return
    ctx.services.outages.recovered("Kubernetes")
    rules = sorted({f.rule for f in diagnosis.rule_failures})
    notes = [ctx.t("diagnose.rule_failures", rules=", ".join(rules))] if rules else []
    footer = ctx.t("diagnose.footer", count=1, seconds=f"{time.perf_counter() - started:.1f}")
    card = diagnosis_card(title, [workload_findings(diagnosis, ctx.lang)], ctx.lang, notes=notes,
                          footer=footer)  # fmt: skip
    await ctx.patch(working_id, card)


async def object_card(ctx: Context | ActionContext, namespace: str, kind: str, name: str) -> Card:
    """The detail card of one object (any kind but a Deployment's own path)."""
    access = require_access(ctx)
    key = target_key(namespace, kind, name)
    label = f"{kind}/{name}"
    title = ctx.t("diagnose.title.deployment", namespace=namespace, deployment=label)
    if kind in CLUSTER_SCOPED:
        title = ctx.t("diagnose.title.cluster_object", name=label)
    if kind == "Deployment":
        diagnosis = await diagnose_deployment(access, namespace, name)
        return diagnosis_card(title, [workload_findings(diagnosis, ctx.lang)], ctx.lang)
    if kind in WEBHOOK_KINDS:  # judged in the namespace of the Service it calls
        namespace = await webhook_namespace(access, kind, name) or namespace
    survey = await survey_namespace(access, namespace, only=key)
    if survey.views and survey.views[0].find(kind, name) is None:
        raise NotFound(f"read {kind}", 404, "NotFound", f'{kind} "{name}" not found')
    findings = survey.objects[0].findings if survey.objects else ()
    item = WorkloadFindings(namespace, label, finding_texts(findings, ctx.lang))
    return diagnosis_card(title, [item], ctx.lang, notes=_notes(survey, ctx))


async def _one(req: DiagnoseRequest, ctx: Context, namespace: str) -> None:
    assert req.kind is not None and req.name is not None
    label = f"{req.kind}/{req.name}"
    title = ctx.t("diagnose.title.deployment", namespace=namespace, deployment=label)
    working_id = await ctx.working(working_card(ctx.lang, title, ctx.t("diagnose.working")))
    try:
        card = await object_card(ctx, namespace, req.kind, req.name)
    except ClusterError as error:
        await ctx.patch(working_id, cluster_failure_card(ctx, error, label))
        return
    ctx.services.outages.recovered("Kubernetes")
    await ctx.patch(working_id, card)


async def _survey(req: DiagnoseRequest, ctx: Context, namespace: str) -> None:
    access = require_access(ctx)
    if req.all_namespaces:
        approvers = ctx.settings.approvals.approvers
        cluster = ctx.services.cluster_name
        if not may_approve(approvers, ctx.user_open_id, ctx.chat_id, "*", cluster):
            text = ctx.t("diagnose.all_namespaces.refused")
            await ctx.reply(notice_card(ctx.t("diagnose.title.all_namespaces"), text, "warning"))
            return
        title = ctx.t("diagnose.title.all_namespaces")
    else:
        title = ctx.t("diagnose.title.namespace", namespace=namespace)
    working_id = await ctx.working(working_card(ctx.lang, title, ctx.t("diagnose.working")))
    started = time.perf_counter()
    notes: list[str] = []
    try:
        if req.all_namespaces:
            items = await access.list_kind("CoreV1Api", "list_namespace")
            names = sorted(str(n["metadata"]["name"]) for n in items)
            if len(names) > MAX_NAMESPACES:
                notes.append(
                    ctx.t("diagnose.namespaces_cut", count=len(names), limit=MAX_NAMESPACES)
                )
            survey = await survey_namespaces(access, names[:MAX_NAMESPACES])
        else:
            survey = await survey_namespace(access, namespace)
    except ClusterError as error:
        await ctx.patch(working_id, cluster_failure_card(ctx, error))
        return
    ctx.services.outages.recovered("Kubernetes")
    notes = _notes(survey, ctx) + notes
    if not survey.objects and not survey.examined and not req.all_namespaces:
        notes.insert(0, ctx.t("diagnose.empty", namespace=namespace))
    elif not survey.objects:
        notes.insert(0, ctx.t("diagnose.survey.healthy", objects=survey.examined))
    footer = ctx.t(
        "diagnose.survey.footer",
        objects=survey.examined,
        troubled=len(survey.objects),
        namespaces=len(survey.namespaces),
        seconds=f"{time.perf_counter() - started:.1f}",
    )
    card = survey_card(title, survey_lines(survey, ctx.lang), ctx.lang, notes=notes, footer=footer,
                       show_namespace=req.all_namespaces)  # fmt: skip
    await ctx.patch(working_id, card)


def _cluster_section(
    outcome: Outcome[Survey | None], ctx: Context, namespace: str, timeout: float
) -> ClusterSection:
    """One cluster's part of the --clusters card: its troubled objects (Details buttons
    act on that cluster), or why it gave no answer."""
    name = outcome.cluster
    more = f"/diagnose -n {namespace} --cluster {name}"
    survey = answer_of(outcome, ctx, timeout, "Kubernetes")
    if isinstance(survey, ClusterSection):
        return survey
    lines = survey_lines(survey, ctx.lang)
    if not lines:
        text = ctx.t("diagnose.survey.healthy", objects=survey.examined)
        return ClusterSection(name, text, severity="ok")
    summary = ctx.t("diagnose.fanout.troubled", troubled=len(lines), objects=survey.examined)
    notes = _notes(survey, ctx)
    severity: Severity = CARD_SEVERITY.get(lines[0].severity, "ok")
    return ClusterSection(
        name,
        " · ".join([summary, *notes]),
        lines=[object_line(item, ctx.lang, False) for item in lines],
        buttons=[details_button(item, ctx.lang, cluster=name) for item in lines],
        severity=severity,
        more_command=more,
    )


async def _fanout(req: DiagnoseRequest, ctx: Context, namespace: str) -> None:
    """The namespace surveyed in every cluster asked for, concurrently; one card."""
    assert req.clusters is not None
    names = fanout_clusters(ctx.settings, req.clusters)
    ctx.services = ctx.services.about_every_cluster()  # the card is about several
    title = ctx.t("diagnose.title.clusters", namespace=namespace, count=len(names))
    working_id = await ctx.working(working_card(ctx.lang, title, ctx.t("diagnose.working")))
    started = time.perf_counter()
    timeout = ctx.settings.fanout.timeout_seconds

    async def survey(scoped: Services) -> Survey | None:
        if scoped.cluster is None:
            return None
        return await survey_namespace(scoped.cluster.access, namespace)

    outcomes = await fan_out(ctx.services, names, survey, timeout)
    sections = [_cluster_section(o, ctx, namespace, timeout) for o in outcomes]
    footer = ctx.t("diagnose.fanout.footer", clusters=len(names),
                   seconds=f"{time.perf_counter() - started:.1f}")  # fmt: skip
    await ctx.patch(working_id, fanout_card(title, sections, ctx.lang, footer=footer))


async def handle(req: DiagnoseRequest, ctx: Context) -> None:
    namespace = req.namespace or "default"
    if req.clusters is not None:
        await _fanout(req, ctx, namespace)
    elif req.deployment:
        await _deployment(req, ctx, namespace)
    elif req.kind:
        await _one(req, ctx, namespace)
    else:
        await _survey(req, ctx, namespace)


async def details(ctx: ActionContext) -> None:
    """The Details button of the namespace card: the object's findings with evidence."""
    value = ctx.value
    namespace, kind, name = (value.get(k) for k in ("namespace", "kind", "name"))
    valid = (
        isinstance(namespace, str) and isinstance(kind, str) and isinstance(name, str)
        and kind in KIND_ALIASES.values() and NAME.match(name)
        and (namespace == "" if kind in CLUSTER_SCOPED else bool(NAME.match(namespace)))
    )  # fmt: skip
    if not valid:
        await ctx.send(
            notice_card(ctx.t("diagnose.title.details"), ctx.t("diagnose.bad_button"), "warning")
        )
        return
    assert isinstance(namespace, str) and isinstance(kind, str) and isinstance(name, str)
    try:
        card = await object_card(ctx, namespace or "default", kind, name)
    except ClusterError as error:
        await ctx.send(cluster_failure_card(ctx, error, name))
        return
    await ctx.send(card)


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="diagnose",
            usage_key="diagnose.usage",
            summary_key="diagnose.summary",
            parse=parse,
            handle=handle,
            aliases=("诊断",),
            access=Requires(Role.viewer, scope=scope),
        )
    )
    registry.action("diagnose_object", requires=Requires(Role.viewer, scope=button_scope))(details)
