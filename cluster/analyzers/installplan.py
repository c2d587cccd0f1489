"""OLM InstallPlans: one that Failed (its operators are not installed or upgraded), and
one waiting for a manual approval."""

from __future__ import annotations

from cluster.analyzers.conditions import condition, short
from cluster.finding import Finding
from cluster.view import NamespaceView

KIND = "InstallPlan"
PROBLEMS = ("installplan_failed", "installplan_awaiting_approval")


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for plan in view.install_plans:
        status, spec = plan.get("status") or {}, plan.get("spec") or {}
        phase = str(status.get("phase") or "")
        name = str(plan["metadata"]["name"])
        csvs = ", ".join(str(c) for c in spec.get("clusterServiceVersionNames") or []) or "-"
        if phase == "Failed":
            installed = condition(plan, "Installed")
            evidence = {
                "plan": name,
                "csvs": csvs,
                "reason": str(installed.get("reason") or status.get("reason") or "-"),
                "message": short(installed.get("message") or status.get("message")),
            }
            findings.append(Finding(view.key(KIND, name), PROBLEMS[0], evidence, "critical"))
        elif phase == "RequiresApproval" and not spec.get("approved"):
            evidence = {"plan": name, "csvs": csvs}
            findings.append(Finding(view.key(KIND, name), PROBLEMS[1], evidence, "info"))
    return findings
