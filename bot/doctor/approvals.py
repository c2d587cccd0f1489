"""Approvals: deny-by-default, so Approve never works until someone is configured."""

from __future__ import annotations

from bot.doctor.inputs import DoctorInput
from bot.doctor.result import Check
from config.settings import Settings

__all__ = ["approval_checks", "approver_namespaces", "service_namespaces"]

WHOAMI_FIX = (
    "send /whoami to the bot (in the group, or in a private chat) and paste the YAML it "
    "answers under approvals.approvers in the CLOUDOPS_CONFIG file, then restart"
)


def approver_namespaces(settings: Settings, cluster: str | None = None) -> set[str]:
    """The namespaces approvers may approve fixes in; with ``cluster``, only those of the
    approvers whose ``clusters`` cover it (``*`` covers every cluster)."""
    return {
        ns
        for a in settings.approvals.approvers
        if cluster is None or "*" in a.clusters or cluster in a.clusters
        for ns in a.namespaces
    }


def service_namespaces(settings: Settings) -> dict[str, str]:
    """service → namespace of every ``prometheus.services`` entry (default: ``default``)."""
    return {
        name: str((config or {}).get("namespace") or "default")
        for name, config in settings.prometheus.services.items()
    }


async def approval_checks(inputs: DoctorInput) -> list[Check]:
    settings = inputs.settings
    approvers = settings.approvals.approvers
    if not approvers:
        return [
            Check.warn(
                "approvals",
                "no approvers configured: every Approve click is refused (deny by default)",
                WHOAMI_FIX,
            )
        ]
    covered = approver_namespaces(settings)
    uncovered = sorted(
        {ns for ns in service_namespaces(settings).values() if ns not in covered}
        if "*" not in covered
        else set()
    )
    detail = f"{len(approvers)} approver(s) for namespaces {', '.join(sorted(covered)) or '-'}"
    if uncovered:
        return [
            Check.warn(
                "approvals",
                f"{detail}; nobody may approve fixes in {', '.join(uncovered)}",
                f"add the namespaces to approvals.approvers[].namespaces; {WHOAMI_FIX}",
            )
        ]
    return [Check.ok("approvals", detail)]
