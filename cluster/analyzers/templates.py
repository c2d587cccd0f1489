"""The pod specs a person edits: every workload's template, a Job's (not one a CronJob
runs), a CronJob's job template, and each pod whose owner is none of these (keyed by its
owner: a bare pod by itself, an operator's pod by its custom resource)."""

from __future__ import annotations

from cluster.snapshot import Json
from cluster.view import NamespaceView

__all__ = ["TEMPLATE_FIELDS", "pod_specs", "containers"]

# view fields whose objects carry pod templates: when one is unreadable, "nothing uses
# this" cannot be said.
TEMPLATE_FIELDS = ("deployments", "stateful_sets", "daemon_sets", "jobs", "cron_jobs")


def _template_spec(kind: str, obj: Json) -> Json:
    spec = obj.get("spec") or {}
    if kind == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    return dict((spec.get("template") or {}).get("spec") or {})


def pod_specs(view: NamespaceView) -> list[tuple[str, Json]]:
    """(object key, pod spec), one per object a person fixes, in a stable order."""
    found: dict[str, Json] = {}
    owners: list[tuple[str, Json]] = [
        *view.workloads(),
        *(("CronJob", c) for c in view.cron_jobs),
        *(("Job", j) for j in view.jobs),
    ]
    for kind, obj in owners:
        key = view.owner_key({**obj, "kind": kind}) if kind == "Job" else None
        key = key or view.key(kind, str(obj["metadata"]["name"]))
        found.setdefault(key, _template_spec(kind, obj))
    for pod in view.pods:
        found.setdefault(view.owner_key(pod), dict(pod.get("spec") or {}))
    return sorted(found.items())


def containers(spec: Json) -> list[Json]:
    """Init, app and ephemeral containers of a pod spec."""
    return [
        *(spec.get("initContainers") or []),
        *(spec.get("containers") or []),
        *(spec.get("ephemeralContainers") or []),
    ]
