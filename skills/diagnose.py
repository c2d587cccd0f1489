"""/diagnose [deployment] [-n ns]: findings across a namespace, or for one deployment.

Read-only: the only button is "Propose fix" per deployment that has a plan, which posts
the /fix approval card (``skills.fix``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from bot.access import Requires, Role, Scope
from bot.cards.fix import WorkloadFindings, diagnosis_card
from bot.cards.notices import working_card
from bot.context import Context
from bot.registry import Registry, Skill, UsageError
from cluster import ClusterError, Diagnosis, diagnose_deployment, diagnose_namespace
from skills.arguments import NAME, take_option
from skills.cluster_capability import require_access
from skills.cluster_failures import cluster_failure_card
from skills.fix import finding_texts

__all__ = ["DiagnoseRequest", "parse", "register", "workload_findings"]


@dataclass(frozen=True)
class DiagnoseRequest:
    deployment: str | None
    namespace: str | None


def parse(args: Sequence[str]) -> DiagnoseRequest:
    namespace, rest = take_option(args, "-n", "--namespace")
    if len(rest) > 1:
        raise UsageError("usage.too_many_arguments", args=" ".join(rest[1:]))
    if rest and not NAME.match(rest[0]):
        raise UsageError("usage.bad_name", value=rest[0])
    return DiagnoseRequest(rest[0] if rest else None, namespace)


def scope(req: DiagnoseRequest, ctx: Context) -> Scope:
    """The namespace named by -n (default: default)."""
    return Scope(namespace=req.namespace or "default")


def workload_findings(diagnosis: Diagnosis, lang: str) -> WorkloadFindings:
    namespace, _, name = diagnosis.target.split("/", 2)
    return WorkloadFindings(
        namespace, name, finding_texts(diagnosis.findings, lang), fixable=bool(diagnosis.plans)
    )


def _rule_notes(diagnoses: Sequence[Diagnosis], ctx: Context) -> list[str]:
    rules = sorted({f.rule for d in diagnoses for f in d.rule_failures})
    return [ctx.t("diagnose.rule_failures", rules=", ".join(rules))] if rules else []


async def handle(req: DiagnoseRequest, ctx: Context) -> None:
    access = require_access(ctx)
    namespace = req.namespace or "default"
    if req.deployment:
        title = ctx.t("diagnose.title.deployment", namespace=namespace, deployment=req.deployment)
    else:
        title = ctx.t("diagnose.title.namespace", namespace=namespace)
    working_id = await ctx.working(working_card(ctx.lang, title, ctx.t("diagnose.working")))
    started = time.perf_counter()
    try:
        if req.deployment:
            diagnoses = [await diagnose_deployment(access, namespace, req.deployment)]
        else:
            diagnoses = await diagnose_namespace(access, namespace)
    except ClusterError as error:
        await ctx.patch(working_id, cluster_failure_card(ctx, error, req.deployment or ""))
        return
    ctx.services.outages.recovered("Kubernetes")
    notes = _rule_notes(diagnoses, ctx)
    if not diagnoses:
        notes.append(ctx.t("diagnose.empty", namespace=namespace))
    footer = ctx.t(
        "diagnose.footer", count=len(diagnoses), seconds=f"{time.perf_counter() - started:.1f}"
    )
    workloads = [workload_findings(d, ctx.lang) for d in diagnoses]
    await ctx.patch(
        working_id, diagnosis_card(title, workloads, ctx.lang, notes=notes, footer=footer)
    )


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
