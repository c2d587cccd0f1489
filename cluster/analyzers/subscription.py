"""OLM Subscriptions that cannot install or upgrade their operator: resolution failed,
catalog sources unhealthy, the install plan failed or is missing, the bundle did not
unpack, or the upgrade failed."""

from __future__ import annotations

from cluster.analyzers.conditions import condition, short
from cluster.finding import Finding
from cluster.view import NamespaceView

KIND = "Subscription"
PROBLEMS = ("subscription_failing",)
# condition types that report a failure when True, the most telling first
FAILING = (
    "ResolutionFailed",
    "InstallPlanFailed",
    "BundleUnpackFailed",
    "CatalogSourcesUnhealthy",
    "InstallPlanMissing",
)


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for subscription in view.subscriptions:
        status, spec = subscription.get("status") or {}, subscription.get("spec") or {}
        failing = [
            c for t in FAILING for c in (condition(subscription, t),) if c.get("status") == "True"
        ]
        state = str(status.get("state") or "")
        if not failing and state != "UpgradeFailed":
            continue
        first = failing[0] if failing else {"type": state}
        name = str(subscription["metadata"]["name"])
        evidence = {
            "subscription": name,
            "package": str(spec.get("name") or "-"),
            "catalog": str(spec.get("source") or "-"),
            "condition": str(first.get("type")),
            "reason": str(first.get("reason") or "-"),
            "message": short(first.get("message") or status.get("reason")),
        }
        findings.append(Finding(view.key(KIND, name), PROBLEMS[0], evidence, "warning"))
    return findings
