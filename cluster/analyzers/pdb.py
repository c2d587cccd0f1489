"""PodDisruptionBudgets that allow no eviction even while every pod is healthy: node
drains and cluster upgrades hang on them."""

from __future__ import annotations

from cluster.finding import Finding
from cluster.view import NamespaceView

KIND = "PodDisruptionBudget"
PROBLEMS = ("pdb_blocks_eviction",)


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for budget in view.budgets:
        spec, status = budget.get("spec") or {}, budget.get("status") or {}
        expected = int(status.get("expectedPods") or 0)
        healthy = int(status.get("currentHealthy") or 0)
        desired = int(status.get("desiredHealthy") or 0)
        allowed = int(status.get("disruptionsAllowed") or 0)
        # Unhealthy pods legitimately use up the budget; only a healthy set that still
        # allows nothing is a budget that blocks every eviction by design.
        if expected == 0 or allowed > 0 or healthy < expected or healthy < desired:
            continue
        name = str(budget["metadata"]["name"])
        rule = (
            f"minAvailable={spec['minAvailable']}"
            if "minAvailable" in spec
            else f"maxUnavailable={spec.get('maxUnavailable', '')}"
        )
        evidence = {"pdb": name, "rule": rule, "pods": str(expected), "healthy": str(healthy)}
        findings.append(Finding(view.key(KIND, name), PROBLEMS[0], evidence, "warning"))
    return findings
