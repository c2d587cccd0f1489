"""Instances of custom resources, as k8sgpt's CRD analyzer checks them: an object whose
``Ready`` condition (else ``Available``) is False, or Unknown for more than
``SETTLE_SECONDS``; an object stuck deleting (``deletionTimestamp`` older than
``SETTLE_SECONDS`` while finalizers remain).

Which instances: those of every CRD in ``view.crds`` that is established, namespaced and
not of a group another analyzer already judges (``cluster.inventory.CUSTOM``: OLM, GMP,
Gateway API, DRA); at most ``MAX_DEFINITIONS`` CRDs per diagnosis, the first by name
(``instance_requests``). The survey lists them in the diagnosed namespace in the CRD's
storage version, concurrently and within a time budget, into ``view.custom_instances``
(CRD name → items) before this analyzer runs.

RBAC: the bot's read role does not grant custom resources in general (``*`` would let it
read every Secret-like object an operator defines). Instances of a CRD are read only
where the cluster's admins granted it (a Role or ClusterRole per group, see
``deploy/kubernetes/components/custom-resource-read``); a forbidden (403), missing
(404), failed or late read is skipped silently: that CRD's instances are not judged."""

from __future__ import annotations

from dataclasses import dataclass

from cluster.analyzers.conditions import condition, cut, seconds_since
from cluster.finding import Finding
from cluster.inventory import CUSTOM
from cluster.redaction import redact
from cluster.snapshot import Json
from cluster.view import NamespaceView

__all__ = [
    "KIND",
    "PROBLEMS",
    "MAX_DEFINITIONS",
    "SETTLE_SECONDS",
    "InstanceRequest",
    "check",
    "instance_requests",
]

KIND = "custom resource"
PROBLEMS = ("customresource_not_ready", "customresource_stuck_deleting")
MAX_DEFINITIONS = 20  # CRDs whose instances one namespace's diagnosis reads
SETTLE_SECONDS = 600  # Unknown or deleting for longer than this is stuck
READINESS = ("Ready", "Available")  # the first one an instance carries is judged
JUDGED_GROUPS = frozenset(kind.group for kind in CUSTOM.values())


@dataclass(frozen=True)
class InstanceRequest:
    """One list call: the instances of CRD ``crd`` in ``group/version``, ``plural``."""

    crd: str
    group: str
    version: str
    plural: str
    kind: str


def _established(crd: Json) -> bool:
    return condition(crd, "Established").get("status") == "True"


def _storage_version(spec: Json) -> str | None:
    versions = spec.get("versions") or []
    stored = next((v for v in versions if v.get("storage") and v.get("served")), None)
    chosen = stored or next((v for v in versions if v.get("served")), None)
    return str(chosen["name"]) if chosen and chosen.get("name") else None


def instance_requests(view: NamespaceView, *, kind: str | None = None) -> list[InstanceRequest]:
    """The CRDs whose instances to read in the view's namespace (only those of ``kind``
    when given), at most ``MAX_DEFINITIONS``, by name."""
    requests: list[InstanceRequest] = []
    for crd in sorted(view.crds, key=lambda c: str(c["metadata"]["name"])):
        spec = crd.get("spec") or {}
        names = spec.get("names") or {}
        group, plural = str(spec.get("group") or ""), str(names.get("plural") or "")
        version = _storage_version(spec)
        if (
            spec.get("scope") != "Namespaced"
            or not _established(crd)
            or not group
            or not plural
            or version is None
            or group in JUDGED_GROUPS
            or (kind is not None and names.get("kind") != kind)
        ):
            continue
        crd_kind = str(names.get("kind") or plural)
        requests.append(
            InstanceRequest(str(crd["metadata"]["name"]), group, version, plural, crd_kind)
        )
        if len(requests) == MAX_DEFINITIONS:
            break
    return requests


def _age(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 48 * 60:
        return f"{minutes // 60}h{minutes % 60:02d}m"
    return f"{minutes // (24 * 60)}d"


def _not_ready(view: NamespaceView, obj: Json, kind: str, name: str) -> Finding | None:
    judged = next(((t, c) for t in READINESS if (c := condition(obj, t))), None)
    if judged is None:
        return None
    kind_of, found = judged
    status = str(found.get("status", ""))
    if status == "Unknown":
        since = seconds_since(found.get("lastTransitionTime"), view.now)
        if since is None or since <= SETTLE_SECONDS:
            return None
    elif status != "False":
        return None
    evidence = {
        "kind": kind,
        "name": name,
        "condition": kind_of,
        "status": status,
        "reason": str(found.get("reason") or ""),
        "message": cut(redact(str(found.get("message") or ""))),
    }
    return Finding(view.key(kind, name), PROBLEMS[0], evidence, "warning")


def _stuck_deleting(view: NamespaceView, obj: Json, kind: str, name: str) -> Finding | None:
    meta = obj.get("metadata") or {}
    finalizers = [str(f) for f in meta.get("finalizers") or []]
    since = seconds_since(meta.get("deletionTimestamp"), view.now)
    if not finalizers or since is None or since <= SETTLE_SECONDS:
        return None
    evidence = {"kind": kind, "name": name, "finalizers": ", ".join(finalizers), "age": _age(since)}
    return Finding(view.key(kind, name), PROBLEMS[1], evidence, "warning")


def check(view: NamespaceView) -> list[Finding]:
    kinds = {
        str(c["metadata"]["name"]): str(((c.get("spec") or {}).get("names") or {}).get("kind", ""))
        for c in view.crds
    }
    findings: list[Finding] = []
    for crd_name, items in sorted(view.custom_instances.items()):
        for obj in items:
            meta = obj.get("metadata") or {}
            if meta.get("namespace", view.namespace) != view.namespace:
                continue
            kind = str(obj.get("kind") or kinds.get(crd_name) or crd_name)
            name = str(meta.get("name", ""))
            for judge in (_stuck_deleting, _not_ready):
                finding = judge(view, obj, kind, name)
                if finding is not None:
                    findings.append(finding)
    return findings
