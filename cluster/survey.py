"""Diagnose a namespace across every kind: the workload rules on each pod-template owner
plus the per-kind analyzers, grouped by the object a person would fix, worst first."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from cluster.access import ClusterAccess
from cluster.analyzers import (
    ANALYZERS,
    Analyzer,
    clustercatalog,
    clusterextension,
    crd,
    customresource,
    gatewayclass,
    security,
)
from cluster.analyzers import log as log_analyzer
from cluster.analyzers import node as node_analyzer
from cluster.collect import read_custom_instances, read_namespace, read_pod_logs, snapshot_of
from cluster.diagnose import RuleFailure, run_rules
from cluster.finding import SEVERITIES, Finding
from cluster.plans import FixPlan
from cluster.rules import Rule
from cluster.snapshot import Json
from cluster.view import WORKLOAD_KINDS, NamespaceView

__all__ = ["ObjectFindings", "Survey", "group_findings", "survey_namespace", "survey_namespaces"]


@dataclass(frozen=True)
class ObjectFindings:
    """Everything wrong with one object (``namespace/Kind/name``), most severe first."""

    object: str
    findings: tuple[Finding, ...]

    @property
    def namespace(self) -> str:
        return self.object.split("/", 2)[0]

    @property
    def kind(self) -> str:
        return self.object.split("/", 2)[1]

    @property
    def name(self) -> str:
        return self.object.split("/", 2)[2]

    @property
    def severity(self) -> str:
        return self.findings[0].severity

    @property
    def plans(self) -> list[FixPlan]:
        return [f.plan for f in self.findings if f.plan is not None]


@dataclass(frozen=True)
class Survey:
    namespaces: tuple[str, ...]
    objects: tuple[ObjectFindings, ...]  # worst first
    examined: int  # objects looked at
    failures: tuple[RuleFailure, ...] = ()
    unreadable: tuple[str, ...] = ()  # kinds the bot may not read
    views: tuple[NamespaceView, ...] = field(default=(), compare=False, repr=False)


LOG_BUDGET = 3.0  # seconds for the log analyzer's reads within one namespace's diagnosis
CUSTOM_BUDGET = 3.0  # seconds for reading custom resource instances (alongside the rest)
# Cluster-scoped kinds reported only where relevant to a namespace, unless asked for all.
EVERY_OBJECT: dict[str, tuple[str, Analyzer]] = {
    "Node": ("node", lambda v: node_analyzer.check(v, every_node=True)),
    "CustomResourceDefinition": ("crd", lambda v: crd.check(v, every=True)),
    "GatewayClass": ("gatewayclass", lambda v: gatewayclass.check(v, every=True)),
    "ClusterCatalog": ("clustercatalog", lambda v: clustercatalog.check(v, every_catalog=True)),
    "ClusterExtension": (
        "clusterextension",
        lambda v: clusterextension.check(v, every_extension=True),
    ),
}
EVERY_WITH_ALL_NAMESPACES = ("CustomResourceDefinition", "GatewayClass")

# Symptoms that other findings on the same object usually explain: named after them.
SYMPTOMS = frozenset({"replicas_unavailable", "service_without_endpoints"})
# Said only of objects that no warning or critical finding already explains; security
# posture (a privileged container ...) explains no event.
FALLBACKS = frozenset({"warning_events"})
_EXPLAINS_NOTHING = FALLBACKS | frozenset(security.PROBLEMS)


def _unexplained(findings: Sequence[Finding]) -> list[Finding]:
    """Drop fallback findings (warning events) on objects something else explains."""
    explained = {
        f.object for f in findings if f.problem not in _EXPLAINS_NOTHING and f.severity != "info"
    }
    return [f for f in findings if f.problem not in FALLBACKS or f.object not in explained]


def _rank(finding: Finding) -> tuple[int, bool, str, str]:
    symptom = finding.problem in SYMPTOMS
    return (SEVERITIES.index(finding.severity), symptom, finding.problem, finding.container or "")


def group_findings(findings: Sequence[Finding]) -> tuple[ObjectFindings, ...]:
    """One entry per object; a problem reported twice (a rule and an analyzer) counts once."""
    seen: set[tuple[str, str, str | None]] = set()
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        identity = (finding.object, finding.problem, finding.container)
        if identity in seen:
            continue
        seen.add(identity)
        grouped.setdefault(finding.object, []).append(finding)
    objects = [
        ObjectFindings(key, tuple(sorted(items, key=_rank))) for key, items in grouped.items()
    ]
    objects.sort(key=lambda o: (SEVERITIES.index(o.severity), -len(o.findings), o.kind, o.object))
    return tuple(objects)


def _examined(view: NamespaceView) -> int:
    kinds = (
        view.deployments, view.stateful_sets, view.daemon_sets, view.jobs, view.cron_jobs,
        view.services, view.ingresses, view.claims, view.hpas, view.budgets,
        view.network_policies, view.catalog_sources, view.cluster_service_versions,
        view.install_plans, view.subscriptions, view.operator_groups, view.pod_monitorings,
        view.own_gateways(), view.http_routes, view.resource_claims,
        *view.custom_instances.values(),
    )  # fmt: skip
    return sum(len(items) for items in kinds)


async def survey_namespace(
    access: ClusterAccess,
    namespace: str,
    *,
    only: str | None = None,
    rules: Mapping[str, Rule] | None = None,
    analyzers: Mapping[str, Analyzer] | None = None,
    concurrency: int = 4,
    log_budget: float = LOG_BUDGET,
    custom_budget: float = CUSTOM_BUDGET,
    cluster_wide: bool = False,
) -> Survey:
    """``only`` (``namespace/Kind/name``) keeps one object's findings and reads logs and
    usage for that workload alone; ``cluster_wide`` reports every troubled CRD and
    GatewayClass, not only those the namespace uses. Raises ``ClusterError`` if a read
    fails; the log tails of the log analyzer are read within ``log_budget`` seconds and
    never fail it; so are the custom resource instances (``custom_budget``), read while
    the workloads are."""
    view = await read_namespace(access, namespace, every_kind=True)
    limit = asyncio.Semaphore(concurrency)
    failures: list[RuleFailure] = []
    findings: list[Finding] = []
    read_logs: dict[str, str] = {}
    only_kind = only.split("/", 2)[1] if only else None
    chosen = dict(analyzers if analyzers is not None else ANALYZERS)
    wanted = (
        customresource.instance_requests(view, kind=only_kind) if "customresource" in chosen else []
    )
    instances = asyncio.ensure_future(
        read_custom_instances(
            access,
            namespace,
            {r.crd: (r.group, r.version, r.plural) for r in wanted},
            budget=custom_budget,
            concurrency=concurrency,
        )
    )
    workloads = [
        w
        for kind, w in view.workloads()
        if only is None or view.key(kind, str(w["metadata"]["name"])) == only
    ]
    if only_kind is None or only_kind in WORKLOAD_KINDS:

        async def one(workload: Json) -> None:
            async with limit:
                snapshot = await snapshot_of(access, view, workload, concurrency=concurrency)
            diagnosis = await run_rules(snapshot, rules, concurrency=concurrency)
            read_logs.update(snapshot.logs)  # current tails: the log analyzer reuses them
            findings.extend(diagnosis.findings)
            failures.extend(diagnosis.rule_failures)

        try:
            await asyncio.gather(*(one(w) for w in workloads))
        except BaseException:
            instances.cancel()
            raise
    view = replace(view, custom_instances=await instances)
    every = {only_kind} if only_kind else set(EVERY_WITH_ALL_NAMESPACES if cluster_wide else ())
    for kind in every & EVERY_OBJECT.keys():
        name, every_object = EVERY_OBJECT[kind]
        if name in chosen:
            chosen[name] = every_object
    logs = chosen.pop("log", None)
    for name, analyzer in chosen.items():
        try:
            findings.extend(analyzer(view))
        except Exception as error:  # an analyzer bug must not hide the other findings
            failures.append(RuleFailure(name, f"{type(error).__name__}: {error}"))
    if logs is not None and (only_kind is None or only_kind in WORKLOAD_KINDS):
        # Last: the pods no other finding explains are known only now.
        requests = log_analyzer.log_requests(view, findings, only=only)
        known = {f"{p}/{c}": read_logs[f"{p}/{c}"] for p, c in requests if f"{p}/{c}" in read_logs}
        unread = [(p, c) for p, c in requests if f"{p}/{c}" not in known]
        texts = await read_pod_logs(access, namespace, unread, tail=log_analyzer.TAIL_LINES,
                                    budget=log_budget, concurrency=concurrency)  # fmt: skip
        view = replace(view, pod_logs={**known, **texts})
        try:
            findings.extend(logs(view))
        except Exception as error:
            failures.append(RuleFailure("log", f"{type(error).__name__}: {error}"))
    objects = group_findings(_unexplained(findings))
    if only is not None:
        objects = tuple(o for o in objects if o.object == only)
    unique = tuple({(f.rule, f.error): f for f in failures}.values())
    return Survey((namespace,), objects, _examined(view), unique, view.unreadable, (view,))


async def survey_namespaces(
    access: ClusterAccess, namespaces: Sequence[str], *, concurrency: int = 2
) -> Survey:
    """Several namespaces (``--all-namespaces``), merged; nodes reported once, and every
    troubled CRD and GatewayClass (once)."""
    limit = asyncio.Semaphore(concurrency)

    async def one(namespace: str) -> Survey:
        async with limit:
            return await survey_namespace(access, namespace, cluster_wide=True)

    surveys = await asyncio.gather(*(one(ns) for ns in namespaces))
    findings = [f for s in surveys for o in s.objects for f in o.findings]
    return Survey(
        tuple(namespaces),
        group_findings(findings),
        sum(s.examined for s in surveys),
        tuple({(f.rule, f.error): f for s in surveys for f in s.failures}.values()),
        tuple(sorted({u for s in surveys for u in s.unreadable})),
    )
