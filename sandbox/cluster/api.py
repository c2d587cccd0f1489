"""The simulated API server's request handling, independent of the HTTP transport."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cluster.patching import PatchError, json_patch, merge_patch, strategic_merge
from cluster.selectors import field_matches, parse_selector_string
from sandbox.cluster.job_requests import Answer, create_job, delete_job
from sandbox.cluster.logs import LogError, pod_log
from sandbox.cluster.metrics import pod_metrics
from sandbox.cluster.object_validation import validate_object
from sandbox.cluster.paging import PagingError, page
from sandbox.cluster.resources import RESOURCES, Resource, by_path
from sandbox.cluster.validation import validate_deployment
from sandbox.cluster.world import Obj, World, clone

__all__ = ["Response", "handle"]

APPS = ("Deployment", "StatefulSet", "DaemonSet")
# What approved plans may change: workloads, and beyond them CronJobs, Jobs, Nodes, Services.
PATCHABLE = (*APPS, "CronJob", "Job", "Node", "Service")
WITH_GENERATION = (*APPS, "CronJob", "Job")

_PATCHERS = {
    "application/strategic-merge-patch+json": strategic_merge,
    "application/merge-patch+json": merge_patch,
    "application/json-patch+json": json_patch,
}


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"


def _json(status: int, payload: Any) -> Response:
    return Response(status, json.dumps(payload).encode())


def status_error(code: int, reason: str, message: str, **details: Any) -> Response:
    payload: dict[str, Any] = {"kind": "Status", "apiVersion": "v1", "metadata": {}}
    payload["status"] = "Failure"
    payload.update({"message": message, "reason": reason, "code": code})
    if details:
        payload["details"] = details
    return _json(code, payload)


def _not_found(resource: Resource, name: str) -> Response:
    group = resource.group_version.split("/")[0] if "/" in resource.group_version else ""
    label = f"{resource.plural}.{group}" if group else resource.plural
    return status_error(
        404, "NotFound", f'{label} "{name}" not found', name=name, kind=resource.plural
    )


def handle(
    world: World, method: str, path: str, query: dict[str, list[str]], ctype: str, body: bytes
) -> Response:
    if path.rstrip("/") == "/version":  # the client asks for /version/
        return _json(200, {"major": "1", "minor": "31", "gitVersion": "v1.31.0-cloudops-sim"})
    parts = [p for p in path.split("/") if p]
    if parts == ["apis"] and method == "GET":
        return _json(200, _discovery())
    if parts[:2] == ["api", "v1"]:
        group_version, rest = "v1", parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        group_version, rest = f"{parts[1]}/{parts[2]}", parts[3:]
    else:
        return status_error(404, "NotFound", "the server could not find the requested resource")
    namespace: str | None = None
    if len(rest) >= 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    resource = by_path(group_version, rest[0]) if rest else None
    if resource is None or len(rest) > 3:
        return status_error(404, "NotFound", "the server could not find the requested resource")
    name = rest[1] if len(rest) > 1 else None
    sub = rest[2] if len(rest) > 2 else None
    with world.lock:
        if method == "GET":
            return _get(world, resource, namespace, name, sub, query)
        scoped = bool(namespace) or not resource.namespaced
        if method == "PATCH" and resource.kind in PATCHABLE and name and scoped:
            return _patch(world, namespace or "", name, sub, query, ctype, body, resource)
        if resource.kind == "Job" and namespace and method in ("POST", "DELETE"):
            return _job_request(world, method, namespace, name, sub, query, body)
    return status_error(405, "MethodNotAllowed", f"{method} is not supported by the simulator")


def _discovery() -> dict[str, Any]:
    """``/apis``: the groups served, each version once, the first one preferred."""
    groups: dict[str, list[str]] = {}
    for resource in RESOURCES:
        if "/" in resource.group_version:
            group, version = resource.group_version.split("/")
            if version not in groups.setdefault(group, []):
                groups[group].append(version)
    listed = []
    for group, versions in groups.items():
        entries = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
        listed.append({"name": group, "versions": entries, "preferredVersion": entries[0]})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": listed}


def _get(
    world: World,
    resource: Resource,
    namespace: str | None,
    name: str | None,
    sub: str | None,
    query: dict[str, list[str]],
) -> Response:
    if resource.kind == "PodMetrics":
        items = pod_metrics(world, namespace)
    else:
        items = world.items(resource.plural, namespace if resource.namespaced else None)
    if name is None:
        try:
            items = _select(items, query)
        except ValueError as error:
            return status_error(400, "BadRequest", str(error))
        list_kind = f"{resource.kind}List"
        meta = {"resourceVersion": world.resource_version()}
        try:
            items, token = page(items, query)
        except PagingError as error:
            return status_error(400, "BadRequest", str(error))
        if token:
            meta["continue"] = token
        return _json(
            200,
            {
                "kind": list_kind,
                "apiVersion": resource.api_version,
                "metadata": meta,
                "items": items,
            },
        )
    obj = next((o for o in items if o["metadata"]["name"] == name), None)
    if obj is None:
        return _not_found(resource, name)
    if sub is None:
        return _json(200, obj)
    if sub == "log" and resource.kind == "Pod":
        tail = query.get("tailLines", [None])[0]
        try:
            text = pod_log(
                world,
                obj,
                query.get("container", [None])[0],
                previous=query.get("previous", ["false"])[0] == "true",
                tail=int(tail) if tail is not None else None,
            )
        except LogError as error:
            return status_error(400, "BadRequest", str(error))
        return Response(200, text.encode(), "text/plain")
    if sub == "scale" and resource.kind == "Deployment":
        return _json(200, _scale(obj))
    if sub == "status":
        return _json(200, obj)
    return status_error(404, "NotFound", "the server could not find the requested resource")


def _job_request(
    world: World,
    method: str,
    namespace: str,
    name: str | None,
    sub: str | None,
    query: dict[str, list[str]],
    body: bytes,
) -> Response:
    dry_run = query.get("dryRun")
    if dry_run is not None and dry_run != ["All"]:
        return status_error(400, "BadRequest", f"Invalid dryRun value: {dry_run}")
    answer: Answer
    if method == "POST" and name is None:
        answer = create_job(world, namespace, body, dry_run=dry_run is not None)
    elif method == "DELETE" and name is not None and sub is None:
        try:
            answer = delete_job(world, namespace, name, body, dry_run=dry_run is not None)
        except ValueError as error:
            return status_error(400, "BadRequest", f"invalid DeleteOptions: {error}")
    else:
        return status_error(405, "MethodNotAllowed", f"{method} is not supported here")
    status, reason, message, payload = answer
    if reason:
        return status_error(status, reason, message, **payload)
    return _json(status, payload)


def _select(items: list[Obj], query: dict[str, list[str]]) -> list[Obj]:
    labels = parse_selector_string(query.get("labelSelector", [""])[0])
    fields = parse_selector_string(query.get("fieldSelector", [""])[0])
    return [
        item
        for item in items
        if field_matches(labels, item["metadata"].get("labels") or {})
        and field_matches(fields, _flatten(item))
    ]


def _flatten(obj: Any, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    if isinstance(obj, dict):
        for key, value in obj.items():
            flat.update(_flatten(value, f"{prefix}{key}."))
    elif not isinstance(obj, list):
        flat[prefix[:-1]] = str(obj)
    return flat


def _scale(deployment: Obj) -> Obj:
    meta = deployment["metadata"]
    selector = deployment["spec"]["selector"].get("matchLabels", {})
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion")},
        "spec": {"replicas": deployment["spec"].get("replicas", 1)},
        "status": {
            "replicas": deployment.get("status", {}).get("replicas", 0),
            "selector": ",".join(f"{k}={v}" for k, v in selector.items()),
        },
    }


def _patch(
    world: World,
    namespace: str,
    name: str,
    sub: str | None,
    query: dict[str, list[str]],
    ctype: str,
    body: bytes,
    resource: Resource,
) -> Response:
    current = world.get(resource.plural, namespace, name)
    if current is None:
        return _not_found(resource, name)
    dry_run = query.get("dryRun")
    if dry_run is not None and dry_run != ["All"]:
        return status_error(400, "BadRequest", f"Invalid dryRun value: {dry_run}")
    patcher = _PATCHERS.get(ctype.split(";")[0].strip())
    if patcher is None:
        return status_error(
            415,
            "UnsupportedMediaType",
            f"the body of the request was in an unknown format: {ctype}",
        )
    try:
        patch = json.loads(body or b"null")
        if sub == "scale" and resource.kind == "Deployment":
            scaled = patcher(_scale(current), patch)
            new = clone(current)
            new["spec"]["replicas"] = scaled["spec"]["replicas"]
            new["metadata"]["resourceVersion"] = scaled["metadata"].get("resourceVersion")
        elif sub is None:
            new = patcher(current, patch)
        else:
            return status_error(405, "MethodNotAllowed", f"PATCH {sub} is not supported")
    except (PatchError, ValueError, TypeError, KeyError) as error:
        return status_error(422, "Invalid", f"the server rejected our request: {error}")
    if not isinstance(new, dict):
        return status_error(422, "Invalid", "the patched object is not an object")
    group = resource.group_version.split("/")[0] if "/" in resource.group_version else ""
    dotted = f"{resource.plural}.{group}" if group else resource.plural
    if new["metadata"].get("resourceVersion") != current["metadata"]["resourceVersion"]:
        message = (
            f'Operation cannot be fulfilled on {dotted} "{name}": the object has '
            "been modified; please apply your changes to the latest version and try again"
        )
        return status_error(409, "Conflict", message, name=name, group=group, kind=resource.plural)
    for key in ("name", "namespace", "uid", "creationTimestamp", "generation"):
        if key in current["metadata"]:
            new["metadata"][key] = current["metadata"][key]
        else:
            new["metadata"].pop(key, None)
    new["status"] = current.get("status", {})
    new["kind"] = current.get("kind", resource.kind)
    check = validate_deployment if resource.kind in APPS else validate_object
    causes = check(new, current)
    if causes:
        text = "; ".join(f"{c['field']}: {c.get('message', c['reason'])}" for c in causes)
        label = f"{resource.kind}.{group}" if group else resource.kind
        message = f'{label} "{name}" is invalid: {text}'
        return status_error(
            422, "Invalid", message, name=name, group=group, kind=resource.kind, causes=causes
        )
    if resource.kind in WITH_GENERATION and new.get("spec") != current.get("spec"):
        new["metadata"]["generation"] = current["metadata"].get("generation", 1) + 1
    if dry_run is None:
        new = world.put(resource, new)
    return _json(200, _scale(new) if sub == "scale" else new)
