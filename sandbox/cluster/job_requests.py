"""POST and DELETE of Jobs, as the API server and its garbage collector answer them: a new
Job gets a uid, defaults and the controller-uid selector and labels; a deleted Job takes
its pods along (propagationPolicy Background or Foreground), unless orphaned."""

from __future__ import annotations

import json
from typing import Any

from sandbox.cluster.object_validation import validate_object
from sandbox.cluster.resources import by_kind
from sandbox.cluster.world import World, clone

__all__ = ["create_job", "delete_job", "Answer"]

Answer = tuple[int, str, str, dict[str, Any]]  # status, reason, message, body or details


def _server_labels(uid: str, name: str) -> dict[str, str]:
    return {
        "batch.kubernetes.io/controller-uid": uid,
        "controller-uid": uid,
        "batch.kubernetes.io/job-name": name,
        "job-name": name,
    }


def create_job(world: World, namespace: str, body: bytes, *, dry_run: bool) -> Answer:
    try:
        job = json.loads(body or b"null")
    except ValueError as error:
        return 400, "BadRequest", f"invalid JSON: {error}", {}
    if not isinstance(job, dict) or not isinstance(job.get("metadata"), dict):
        return 400, "BadRequest", "the body is not a Job", {}
    job = clone(job)
    job["kind"], job["apiVersion"] = "Job", "batch/v1"
    meta = job["metadata"]
    meta["namespace"] = namespace
    name = str(meta.get("name") or "")
    causes = validate_object(job, None)
    if causes:
        text = "; ".join(f"{c['field']}: {c['message']}" for c in causes)
        details = {"name": name, "group": "batch", "kind": "Job", "causes": causes}
        return 422, "Invalid", f'Job.batch "{name}" is invalid: {text}', details
    if world.get("jobs", namespace, name) is not None:
        details = {"name": name, "group": "batch", "kind": "jobs"}
        return 409, "AlreadyExists", f'jobs.batch "{name}" already exists', details
    uid = world.new_uid(name)
    spec = job.setdefault("spec", {})
    for key, default in (("backoffLimit", 6), ("completions", 1), ("parallelism", 1)):
        spec.setdefault(key, default)
    spec["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    template_meta = spec["template"].setdefault("metadata", {})
    template_meta["labels"] = {**(template_meta.get("labels") or {}), **_server_labels(uid, name)}
    meta.update(uid=uid, creationTimestamp=world.now(), generation=1)
    job["status"] = {}
    if dry_run:
        return 201, "", "", {**job, "metadata": {**meta, "resourceVersion": ""}}
    return 201, "", "", world.add(job)


def delete_job(world: World, namespace: str, name: str, body: bytes, *, dry_run: bool) -> Answer:
    job = world.get("jobs", namespace, name)
    if job is None:
        return 404, "NotFound", f'jobs.batch "{name}" not found', {"name": name, "kind": "jobs"}
    options = json.loads(body or b"{}") or {}
    wanted = (options.get("preconditions") or {}).get("resourceVersion")
    if wanted is not None and wanted != job["metadata"]["resourceVersion"]:
        message = (
            f'Operation cannot be fulfilled on jobs.batch "{name}": Precondition failed: '
            f"ResourceVersion in precondition: {wanted}, "
            f"ResourceVersion in object meta: {job['metadata']['resourceVersion']}"
        )
        return 409, "Conflict", message, {"name": name, "group": "batch", "kind": "jobs"}
    status = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": {"name": name, "group": "batch", "kind": "jobs", "uid": job["metadata"]["uid"]},
    }
    if dry_run:
        return 200, "", "", status
    uid = job["metadata"]["uid"]
    world.delete(by_kind("Job").plural, namespace, name)
    if options.get("propagationPolicy", "Orphan") != "Orphan":  # Jobs orphan by default
        for pod in world.items("pods", namespace):
            if any(r.get("uid") == uid for r in pod["metadata"].get("ownerReferences") or []):
                world.delete("pods", namespace, pod["metadata"]["name"])
                world.runtime.pop(pod["metadata"]["uid"], None)
    return 200, "", "", status
