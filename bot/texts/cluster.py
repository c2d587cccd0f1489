"""Chat text for findings, operations, outcomes and errors, from the message catalogue."""

from __future__ import annotations

from collections.abc import Sequence

from bot.cards.fix import FindingText
from cluster.errors import (
    ClusterApiError,
    ClusterError,
    ClusterUnavailable,
    Conflict,
    DryRunRejected,
    NotFound,
    PlanError,
)
from cluster.finding import Finding
from cluster.plans import (
    OBJECT_KINDS,
    DeleteRerunJob,
    FixPlan,
    Operation,
    PatchProbe,
    PatchResources,
    RerunJob,
    RestoreTemplate,
    RollbackToPrevious,
    ScaleReplicas,
    SetServiceSelector,
)
from messages import t

__all__ = [
    "finding_title",
    "finding_detail",
    "finding_texts",
    "operation_text",
    "impact_text",
    "outcome_text",
    "error_text",
]

_PROBE_FIELDS = {
    "path": "path",
    "port": "port",
    "period": "periodSeconds",
    "timeout": "timeoutSeconds",
    "failure_threshold": "failureThreshold",
    "initial_delay": "initialDelaySeconds",
}


def _params(finding: Finding, lang: str | None) -> dict[str, str]:
    params = {"container": finding.container or "", **finding.evidence}
    if "probe" in finding.evidence:
        params["probe_name"] = t(f"cluster.probe.{finding.evidence['probe']}", lang)
    if finding.problem == "pvc_pending":
        params["cause_text"] = t(f"cluster.pvc_cause.{finding.evidence['cause']}", lang, **params)
    return params


def finding_title(finding: Finding, lang: str | None = None) -> str:
    return t(f"cluster.problem.{finding.problem}.title", lang, **_params(finding, lang))


TAIL_LINES = 3  # of the previous container's log, on crash-loop and OOM findings
TAIL_CHARS = 60


def finding_detail(finding: Finding, lang: str | None = None) -> str:
    detail = t(f"cluster.problem.{finding.problem}.detail", lang, **_params(finding, lang))
    tail = finding.evidence.get("log_tail", "")
    lines = [line.strip()[:TAIL_CHARS] for line in tail.splitlines() if line.strip() != "…"]
    lines = [line for line in lines if line][-TAIL_LINES:]
    if lines:
        shown = " · ".join("`" + line.replace("`", "'") + "`" for line in lines)
        detail += " " + t("cluster.log_tail", lang, lines=shown)
    return detail


def finding_texts(findings: Sequence[Finding], lang: str) -> tuple[FindingText, ...]:
    """The findings as their cards show them: severity, title and detail."""
    return tuple(
        FindingText(f.severity, finding_title(f, lang), finding_detail(f, lang)) for f in findings
    )


def operation_text(operation: Operation, lang: str | None = None) -> str:
    if isinstance(operation, PatchProbe):
        changes = ", ".join(
            f"{name}={getattr(operation, attr)}"
            for attr, name in _PROBE_FIELDS.items()
            if getattr(operation, attr) is not None
        )
        probe_name = t(f"cluster.probe.{operation.kind}", lang)
        return t(
            "cluster.op.patch_probe",
            lang,
            container=operation.container,
            probe_name=probe_name,
            changes=changes,
        )
    if isinstance(operation, PatchResources):
        changes = ", ".join(
            f"{section}.{name}={value}"
            for section, values in (("requests", operation.requests), ("limits", operation.limits))
            for name, value in values.items()
        )
        return t("cluster.op.patch_resources", lang, container=operation.container, changes=changes)
    if isinstance(operation, ScaleReplicas):
        return t("cluster.op.scale_replicas", lang, replicas=operation.replicas)
    if isinstance(operation, RollbackToPrevious):
        return t("cluster.op.rollback_to_previous", lang, revision=operation.revision)
    if isinstance(operation, RestoreTemplate):
        return t("cluster.op.restore_template", lang, digest=operation.template_sha256[:12])
    if isinstance(operation, SetServiceSelector):
        selector = ",".join(f"{k}={v}" for k, v in sorted(operation.selector.items()))
        return t("cluster.op.set_service_selector", lang, selector=selector)
    if isinstance(operation, RerunJob):
        return t("cluster.op.rerun_job", lang, name=operation.name)
    if isinstance(operation, DeleteRerunJob):
        return t("cluster.op.delete_rerun_job", lang, rerun_of=operation.rerun_of)
    if operation.op in ("resume_cronjob", "suspend_cronjob", "uncordon_node", "cordon_node"):
        return t(f"cluster.op.{operation.op}", lang)
    return t("cluster.op.rollout_restart", lang)


def impact_text(plan: FixPlan, lang: str | None = None) -> str:
    """What approving does to the running pods: "scale 2 → 4 replicas", "rolling restart
    of 2 pods" (any change of the pod template replaces every pod, one by one)."""
    before = plan.target.replicas
    scale = next((op for op in plan.operations if isinstance(op, ScaleReplicas)), None)
    after = scale.replicas if scale else before
    parts = []
    if scale is not None and after != before:
        parts.append(t("cluster.impact.scale", lang, before=before, after=after))
    if any(op.changes_template for op in plan.operations):
        key = "cluster.impact.restart_one" if after == 1 else "cluster.impact.restart"
        parts.append(t(key, lang, pods=after))
    return t("cluster.impact.separator", lang).join(parts)


def outcome_text(
    outcome: str,
    deployment: str,
    revision: int,
    message: str,
    lang: str | None = None,
    *,
    kind: str = "Deployment",
) -> str:
    """``kind``: the changed object's (``ApplyResult.kind``); a CronJob, Job, Node or
    Service was checked by reading it back, not rolled out."""
    if kind in OBJECT_KINDS:
        label = f"{kind}/{deployment}"
        return t(f"cluster.outcome.object.{outcome}", lang, object=label, message=message)
    return t(
        f"cluster.outcome.{outcome}",
        lang,
        deployment=deployment,
        revision=revision,
        message=message,
    )


def _doing(error: ClusterError, lang: str | None) -> str:
    """ " (get Deployment payments/fraud)": what the failed call was doing, or nothing."""
    subject = error.subject
    if subject is None:
        return ""
    return t("cluster.error.doing", lang, verb=subject.verb, object=subject.object)


def error_text(
    error: ClusterError | PlanError, deployment: str = "", lang: str | None = None
) -> str:
    """The cause in the reader's words: which object is missing, which verb on which
    resource is forbidden, which call got no answer; never the client's method name."""
    if isinstance(error, PlanError):
        return t("cluster.error.plan_invalid", lang, detail=str(error))
    if isinstance(error, Conflict):
        return t("cluster.error.conflict", lang, deployment=deployment)
    if isinstance(error, DryRunRejected):
        return t("cluster.error.dry_run_rejected", lang, message=error.message or error.detail)
    subject = error.subject
    if isinstance(error, NotFound):
        what = subject.object if subject else deployment
        return t("cluster.error.not_found", lang, object=what)
    if isinstance(error, ClusterApiError) and error.status in (401, 403) and subject:
        where = (
            t("cluster.error.in_namespace", lang, namespace=subject.namespace)
            if subject.namespace
            else t("cluster.error.cluster_wide", lang)
        )
        return t(
            "cluster.error.forbidden",
            lang,
            verb=subject.verb,
            resource=subject.resource,
            where=where,
        )
    if isinstance(error, ClusterUnavailable):
        return t("cluster.error.unavailable", lang, doing=_doing(error, lang))
    return t("cluster.error.api", lang, doing=_doing(error, lang), detail=error.detail)
