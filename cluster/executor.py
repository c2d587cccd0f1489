"""THE ONLY code that changes the cluster. Call it with an approved, stored plan only.

``apply_plan``: resourceVersion still as proposed (else ``Conflict``) → server-side dry
run of every patch → apply → watch the rollout. ``undo`` turns an ``ApplyResult`` back
into a plan restoring the saved spec; it goes through approval like any other plan.

Plans beyond workloads (a CronJob, Job, Node or Service) take the same path with one
request each (a PATCH, or for a re-run Job a POST, for its Undo a DELETE), dry run first,
and are verified by reading back (``cluster.verification``) instead of a rollout watch.
(Over 300 lines on purpose: every mutating call stays in this one module.)
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from kubernetes import client

from cluster.access import ClusterAccess
from cluster.calls import call_kubernetes
from cluster.errors import ClusterApiError, ClusterError, Conflict, DryRunRejected, PlanError
from cluster.plans import (
    OBJECT_KINDS,
    FixPlan,
    Patch,
    PlanLimits,
    RestoreTemplate,
    RollbackToPrevious,
    ScaleReplicas,
    Target,
)
from cluster.plans.diff import DiffLine
from cluster.plans.rollback import revision_of, template_digest
from cluster.reversal import undo_object
from cluster.rollout import rollout_state
from cluster.verification import Outcome, verify_object
from config.sections import FixesSettings

__all__ = ["ApplyResult", "apply_plan", "undo", "FIELD_MANAGER"]

FIELD_MANAGER = "cloudops-bot"
PATCH_METHODS = {
    "Deployment": "patch_namespaced_deployment",
    "StatefulSet": "patch_namespaced_stateful_set",
    "DaemonSet": "patch_namespaced_daemon_set",
}
# PATCH of a plan beyond workloads: (API group class, method); a Node is cluster-scoped.
# A Job is never patched: its re-run is a POST, the re-run's Undo a DELETE.
OBJECT_PATCH_METHODS = {
    "CronJob": ("BatchV1Api", "patch_namespaced_cron_job"),
    "Service": ("CoreV1Api", "patch_namespaced_service"),
    "Node": ("CoreV1Api", "patch_node"),
}


@dataclass(frozen=True)
class ApplyResult:
    """What ran, how the rollout ended, and the spec to restore on Undo."""

    plan_hash: str
    namespace: str
    deployment: str
    outcome: Outcome
    message: str
    patches: tuple[Patch, ...]
    diff: tuple[DiffLine, ...]
    previous: Target  # the deployment as it was just before the change
    revision: int  # revision after the change (0 beyond workloads)
    resource_version: str

    @property
    def kind(self) -> str:
        """The kind of the object changed (``Deployment``, ``CronJob`` ...)."""
        return self.previous.kind

    def to_dict(self) -> dict[str, Any]:
        """JSON for the bot's state store (Undo may come after a restart)."""
        return {
            "plan_hash": self.plan_hash,
            "namespace": self.namespace,
            "deployment": self.deployment,
            "outcome": self.outcome,
            "message": self.message,
            "patches": [{"kind": p.kind, "body": p.body} for p in self.patches],
            "diff": [line.to_dict() for line in self.diff],
            "previous": self.previous.to_dict(),
            "revision": self.revision,
            "resource_version": self.resource_version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ApplyResult:
        outcome = data["outcome"]
        if outcome not in ("ready", "failed", "timeout"):
            raise ValueError(f"unknown outcome {outcome!r}")
        return cls(
            plan_hash=str(data["plan_hash"]),
            namespace=str(data["namespace"]),
            deployment=str(data["deployment"]),
            outcome=outcome,
            message=str(data["message"]),
            patches=tuple(Patch(p["kind"], p["body"]) for p in data["patches"]),
            diff=tuple(DiffLine(d["path"], d["before"], d["after"]) for d in data["diff"]),
            previous=Target.from_dict(data["previous"]),
            revision=int(data["revision"]),
            resource_version=str(data["resource_version"]),
        )


def _access(target: ClusterAccess | client.ApiClient) -> ClusterAccess:
    return target if isinstance(target, ClusterAccess) else ClusterAccess(target)


def _refusal(
    error: ClusterApiError, call: str, resource_version: str, dry_run: bool
) -> ClusterError | None:
    """What a refused write means: a newer object (409) or a dry run the server rejected
    (another 4xx); None: the API error stands as it is."""
    if error.status == 409:
        return Conflict(call, resource_version, "newer")
    if dry_run and 400 <= error.status < 500:
        return DryRunRejected(call, error.status, error.reason, error.message)
    return None


def _with_precondition(patch: Patch, resource_version: str) -> Any:
    """The API server refuses (409) a patch whose resourceVersion is no longer current."""
    if patch.kind == "json":
        pin = {"op": "replace", "path": "/metadata/resourceVersion", "value": resource_version}
        return [*patch.body, pin]
    return {**patch.body, "metadata": {"resourceVersion": resource_version}}


async def _patch(
    access: ClusterAccess, target: Target, patch: Patch, resource_version: str, *, dry_run: bool
) -> dict[str, Any]:
    apps = client.AppsV1Api(access.api_client)
    method = PATCH_METHODS[target.kind]
    call = method + (" (dryRun=All)" if dry_run else "")
    try:
        result = await call_kubernetes(
            call,
            getattr(apps, method),
            target.deployment,
            target.namespace,
            _with_precondition(patch, resource_version),
            dry_run="All" if dry_run else None,
            field_manager=FIELD_MANAGER,
            _content_type=patch.content_type,
            _request_timeout=access.request_timeout,
        )
    except ClusterApiError as error:
        refusal = _refusal(error, call, resource_version, dry_run)
        if refusal is None:
            raise
        raise refusal from error
    body: dict[str, Any] = access.api_client.sanitize_for_serialization(result)
    return body


_FIXES = FixesSettings.default()  # defaults.yaml: fixes


async def apply_plan(
    plan: FixPlan,
    access: ClusterAccess | client.ApiClient,
    *,
    watch_timeout: float = _FIXES.watch_timeout_seconds,
    poll_interval: float = _FIXES.poll_seconds,
    limits: PlanLimits | None = None,
) -> ApplyResult:
    """Raises Conflict, PlanError, DryRunRejected or ClusterError before any change;
    once a patch is applied it returns an ApplyResult (outcome ready/failed/timeout)."""
    cluster = _access(access)
    target = plan.target
    if target.kind in OBJECT_KINDS:
        return await _apply_object(plan, cluster, watch_timeout, poll_interval)
    live = await cluster.workload(target.kind, target.namespace, target.deployment)
    actual = str(live["metadata"]["resourceVersion"])
    if actual != target.resource_version:
        raise Conflict(f"read {target.kind}", target.resource_version, actual)
    has_sets = target.kind == "Deployment"
    replica_sets = await cluster.replica_sets(target.namespace) if has_sets else []
    rendered = plan.render(live, replica_sets, limits)
    for patch in rendered.patches:
        await _patch(cluster, target, patch, actual, dry_run=True)
    previous = Target.of(live, target.kind)
    version = actual
    for patch in rendered.patches:
        applied = await _patch(cluster, target, patch, version, dry_run=False)
        version = str(applied["metadata"]["resourceVersion"])
    outcome, message, final = await _watch(cluster, target, watch_timeout, poll_interval)
    return ApplyResult(
        plan_hash=plan.content_hash,
        namespace=target.namespace,
        deployment=target.deployment,
        outcome=outcome,
        message=message,
        patches=rendered.patches,
        diff=rendered.diff,
        previous=previous,
        revision=revision_of(final) if final else 0,
        resource_version=str(final["metadata"]["resourceVersion"]) if final else version,
    )


async def _watch(
    access: ClusterAccess, target: Target, timeout: float, interval: float
) -> tuple[Outcome, str, dict[str, Any] | None]:
    """Poll until ready, failed or ``timeout``; read errors here never raise (it is applied)."""
    deadline = time.monotonic() + timeout
    last: dict[str, Any] | None = None
    note = ""
    while True:
        try:
            last = await access.workload(target.kind, target.namespace, target.deployment)
            state = rollout_state(last)
            if state != "progressing":
                condition = _progressing_message(last)
                return state, condition, last
        except ClusterError as error:
            note = str(error)
        if time.monotonic() >= deadline:
            return "timeout", note or _progressing_message(last), last
        await asyncio.sleep(min(interval, max(0.0, deadline - time.monotonic())))


def _progressing_message(deployment: dict[str, Any] | None) -> str:
    conditions = ((deployment or {}).get("status") or {}).get("conditions") or []
    progressing: dict[str, Any] = next(
        (c for c in conditions if c.get("type") == "Progressing"), {}
    )
    return str(progressing.get("message", ""))


async def undo(result: ApplyResult, access: ClusterAccess | client.ApiClient) -> FixPlan:
    """A plan restoring ``result.previous`` (template via its ReplicaSet, and replicas).

    It targets the deployment as it is now; approve it, then ``apply_plan`` it."""
    cluster = _access(access)
    previous = result.previous
    if previous.kind in OBJECT_KINDS:
        return await undo_object(cluster, previous, result.patches, result.plan_hash)
    live = await cluster.workload(previous.kind, previous.namespace, previous.deployment)
    operations: list[RollbackToPrevious | RestoreTemplate | ScaleReplicas] = []
    digest = template_digest(previous.template)
    changed = template_digest(live["spec"]["template"]) != digest
    if changed and previous.kind != "Deployment":
        # No ReplicaSets to return to: put back the template the bot saved itself.
        operations.append(RestoreTemplate(previous.template))
    elif changed:
        replica_sets = await cluster.replica_sets(previous.namespace)
        owner = live["metadata"]["uid"]
        holders = [
            rs
            for rs in replica_sets
            if any(r.get("uid") == owner for r in rs["metadata"].get("ownerReferences") or [])
            and template_digest(rs["spec"]["template"]) == digest
        ]
        if not holders:
            raise PlanError("no ReplicaSet still holds the previous template: cannot undo")
        operations.append(RollbackToPrevious(revision_of(holders[0]), digest))
    scalable = previous.kind != "DaemonSet"
    if scalable and int(live["spec"].get("replicas", 1)) != previous.replicas:
        operations.append(ScaleReplicas(previous.replicas))
    if not operations:
        raise PlanError("the deployment already has the previous spec: nothing to undo")
    target = Target.of(live, previous.kind)
    return FixPlan(target, tuple(operations), problem=f"undo:{result.plan_hash[:12]}")


# -- plans beyond workloads ------------------------------------------------------------
async def _send(
    access: ClusterAccess, target: Target, patch: Patch, resource_version: str, *, dry_run: bool
) -> dict[str, Any]:
    """One request of an object plan: PATCH (pinned to ``resource_version``), POST of the
    re-run Job, or DELETE of a re-run Job (with a resourceVersion precondition)."""
    options: dict[str, Any] = {
        "dry_run": "All" if dry_run else None,
        "_request_timeout": access.request_timeout,
    }
    scope = () if target.kind == "Node" else (target.namespace,)
    if patch.kind == "create":
        api, method = "BatchV1Api", "create_namespaced_job"
        args: tuple[Any, ...] = (target.namespace, patch.body)
        options["field_manager"] = FIELD_MANAGER
    elif patch.kind == "delete":
        api, method = "BatchV1Api", "delete_namespaced_job"
        pin = {"preconditions": {"resourceVersion": resource_version}}
        args = (target.deployment, target.namespace)
        options["body"] = {**patch.body, **pin}
    else:
        api, method = OBJECT_PATCH_METHODS[target.kind]
        args = (target.deployment, *scope, _with_precondition(patch, resource_version))
        options |= {"field_manager": FIELD_MANAGER, "_content_type": patch.content_type}
    call = method + (" (dryRun=All)" if dry_run else "")
    try:
        result = await call_kubernetes(call, getattr(access.api(api), method), *args, **options)
    except ClusterApiError as error:
        refusal = _refusal(error, call, resource_version, dry_run)
        if refusal is None:
            raise
        raise refusal from error
    body: dict[str, Any] = access.api_client.sanitize_for_serialization(result)
    return body


async def _apply_object(
    plan: FixPlan, cluster: ClusterAccess, timeout: float, interval: float
) -> ApplyResult:
    target = plan.target
    live = await cluster.read(target.kind, target.namespace, target.deployment)
    actual = str(live["metadata"]["resourceVersion"])
    if actual != target.resource_version:
        raise Conflict(f"read {target.kind}", target.resource_version, actual)
    rendered = plan.render(live)
    (patch,) = rendered.patches
    await _send(cluster, target, patch, actual, dry_run=True)
    applied = await _send(cluster, target, patch, actual, dry_run=False)
    version = str((applied.get("metadata") or {}).get("resourceVersion") or actual)
    outcome, message, read = await verify_object(
        cluster, target, rendered.after, version, timeout=timeout, interval=interval
    )
    return ApplyResult(
        plan_hash=plan.content_hash,
        namespace=target.namespace,
        deployment=target.deployment,
        outcome=outcome,
        message=message,
        patches=rendered.patches,
        diff=rendered.diff,
        previous=Target.of(live, target.kind),
        revision=0,
        resource_version=read or version,
    )
