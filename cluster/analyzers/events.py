"""Warning events of the last hour, summarised per object a person fixes (a pod's events
count for its Deployment, StatefulSet, DaemonSet, Job or CronJob): how many, which
reasons, the latest message (redacted, cut).

Out of the way by design: ``cluster.survey`` keeps this finding only for objects that no
warning or critical finding already explains. Events on pods, ReplicaSets or Jobs that are
gone are history and are left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cluster.finding import Finding
from cluster.redaction import redact
from cluster.snapshot import Json
from cluster.view import NamespaceView, object_key

KIND = "Event"
PROBLEMS = ("warning_events",)
WINDOW = timedelta(hours=1)
MESSAGE_CHARS = 160
SHOWN = 3  # reasons listed
# Kinds whose object the view holds: an event on one of them that is gone is history.
_OWNED = {"Pod": "pods", "ReplicaSet": "replica_sets", "Job": "jobs"}
_READ = (
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "CronJob",
    "Service",
    "Ingress",
    "PersistentVolumeClaim",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
)
CLUSTER_SCOPED = frozenset(
    {
        "Node",
        "PersistentVolume",
        "StorageClass",
        "IngressClass",
        "Namespace",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
    }
)


def _when(event: Json) -> datetime | None:
    series = event.get("series") or {}
    stamp = (
        series.get("lastObservedTime")
        or event.get("lastTimestamp")
        or event.get("eventTime")
        or (event.get("metadata") or {}).get("creationTimestamp")
    )
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _target(view: NamespaceView, involved: Json) -> str | None:
    """The key of the object a person fixes, or None when the object is gone."""
    kind, name = str(involved.get("kind") or ""), str(involved.get("name") or "")
    if not kind or not name:
        return None
    if kind in _OWNED:
        items: tuple[Json, ...] = getattr(view, _OWNED[kind])
        obj = next((o for o in items if o["metadata"]["name"] == name), None)
        return None if obj is None else view.owner_key({**obj, "kind": kind})
    if kind in _READ:
        return view.key(kind, name) if view.find(kind, name) is not None else None
    if kind in CLUSTER_SCOPED:
        return object_key("", kind, name)
    return view.key(kind, name)


def check(view: NamespaceView) -> list[Finding]:
    since = view.now - WINDOW
    by_object: dict[str, list[tuple[datetime, Json]]] = {}
    for event in view.events:
        when = _when(event)
        if event.get("type") != "Warning" or when is None or when < since:
            continue
        key = _target(view, event.get("involvedObject") or {})
        if key is not None:
            by_object.setdefault(key, []).append((when, event))
    findings: list[Finding] = []
    for key, items in sorted(by_object.items()):
        items.sort(key=lambda item: item[0])
        count = sum(
            int((e.get("series") or {}).get("count") or e.get("count") or 1) for _, e in items
        )
        reasons = sorted({str(e.get("reason") or "?") for _, e in items})
        more = f" (+{len(reasons) - SHOWN})" if len(reasons) > SHOWN else ""
        latest = items[-1][1]
        message = " ".join(redact(str(latest.get("message") or "")).split())
        if len(message) > MESSAGE_CHARS:
            message = message[: MESSAGE_CHARS - 1] + "…"
        involved = latest.get("involvedObject") or {}
        evidence = {
            "events": str(count),
            "reasons": ", ".join(reasons[:SHOWN]) + more,
            "source": f"{involved.get('kind')}/{involved.get('name')}",
            "reason": str(latest.get("reason") or "?"),
            "message": message,
        }
        findings.append(Finding(key, PROBLEMS[0], evidence, "warning"))
    return findings
