"""Run the rules on a Deployment or a whole namespace; one failing rule spares the rest."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cluster.access import ClusterAccess
from cluster.collect import NamespaceView, read_namespace, snapshot_of
from cluster.finding import SEVERITIES, Finding
from cluster.plans import FixPlan
from cluster.rules import RULES, Rule
from cluster.snapshot import ContainerUsage, Json, WorkloadSnapshot

__all__ = [
    "RuleFailure",
    "Diagnosis",
    "run_rules",
    "diagnose_deployment",
    "diagnose_workload",
    "diagnose_namespace",
]


@dataclass(frozen=True)
class RuleFailure:
    rule: str
    error: str


@dataclass(frozen=True)
class Diagnosis:
    """Findings for one Deployment, most severe first, and the rules that crashed."""

    target: str
    findings: tuple[Finding, ...]
    rule_failures: tuple[RuleFailure, ...] = ()
    snapshot: WorkloadSnapshot | None = field(default=None, compare=False, repr=False)

    @property
    def plans(self) -> list[FixPlan]:
        return [f.plan for f in self.findings if f.plan is not None]

    @property
    def healthy(self) -> bool:
        return not any(f.severity != "info" for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "findings": [f.to_dict() for f in self.findings],
            "rule_failures": [{"rule": r.rule, "error": r.error} for r in self.rule_failures],
        }


async def run_rules(
    snapshot: WorkloadSnapshot, rules: Mapping[str, Rule] | None = None, *, concurrency: int = 4
) -> Diagnosis:
    limit = asyncio.Semaphore(concurrency)
    chosen = dict(rules if rules is not None else RULES)

    async def run(name: str, rule: Rule) -> list[Finding] | RuleFailure:
        async with limit:
            try:
                return await asyncio.to_thread(rule, snapshot)
            except Exception as error:  # a rule bug must not hide the other findings
                return RuleFailure(name, f"{type(error).__name__}: {error}")

    results = await asyncio.gather(*(run(name, rule) for name, rule in chosen.items()))
    findings = [f for r in results if not isinstance(r, RuleFailure) for f in r]
    findings.sort(key=lambda f: (SEVERITIES.index(f.severity), f.problem, f.object))
    failures = tuple(r for r in results if isinstance(r, RuleFailure))
    return Diagnosis(snapshot.key, tuple(findings), failures, snapshot)


async def diagnose_deployment(
    access: ClusterAccess,
    namespace: str,
    name: str,
    *,
    usage: Mapping[str, ContainerUsage] | None = None,
    rules: Mapping[str, Rule] | None = None,
    concurrency: int = 4,
) -> Diagnosis:
    """Raises ``NotFound`` for an unknown deployment, ``ClusterError`` if a read fails."""
    deployment, view = await asyncio.gather(
        access.deployment(namespace, name), read_namespace(access, namespace)
    )
    snapshot = await snapshot_of(access, view, deployment, usage=usage, concurrency=concurrency)
    return await run_rules(snapshot, rules, concurrency=concurrency)


async def diagnose_workload(
    access: ClusterAccess,
    namespace: str,
    kind: str,
    name: str,
    *,
    rules: Mapping[str, Rule] | None = None,
    concurrency: int = 4,
) -> Diagnosis:
    """The workload rules on a Deployment, StatefulSet or DaemonSet (raises ``NotFound``)."""
    workload, view = await asyncio.gather(
        access.workload(kind, namespace, name), read_namespace(access, namespace)
    )
    snapshot = await snapshot_of(access, view, workload, concurrency=concurrency)
    return await run_rules(snapshot, rules, concurrency=concurrency)


async def diagnose_namespace(
    access: ClusterAccess,
    namespace: str,
    *,
    usage: Mapping[str, Mapping[str, ContainerUsage]] | None = None,
    rules: Mapping[str, Rule] | None = None,
    concurrency: int = 4,
) -> list[Diagnosis]:
    """One Diagnosis per Deployment (``usage`` is keyed by deployment name), worst first."""
    deployments, view = await asyncio.gather(
        access.deployments(namespace), read_namespace(access, namespace)
    )
    limit = asyncio.Semaphore(concurrency)

    async def one(deployment: Json, view: NamespaceView) -> Diagnosis:
        name = str(deployment["metadata"]["name"])
        async with limit:
            snapshot = await snapshot_of(
                access, view, deployment, usage=(usage or {}).get(name), concurrency=concurrency
            )
        return await run_rules(snapshot, rules, concurrency=concurrency)

    results = await asyncio.gather(*(one(d, view) for d in deployments))
    return sorted(results, key=_worst)


def _worst(diagnosis: Diagnosis) -> tuple[int, str]:
    levels = [SEVERITIES.index(f.severity) for f in diagnosis.findings]
    return (min(levels, default=len(SEVERITIES)), diagnosis.target)
