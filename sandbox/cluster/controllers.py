"""Deployment and ReplicaSet controllers: templates → ReplicaSets → pods, plus status."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sandbox.cluster.kubelet import is_ready, new_pod
from sandbox.cluster.quota import quota_refusal
from sandbox.cluster.world import Obj, World, clone

__all__ = ["template_hash", "reconcile_deployments", "REVISION"]

REVISION = "deployment.kubernetes.io/revision"
HASH_LABEL = "pod-template-hash"


def template_hash(template: dict[str, Any]) -> str:
    bare = clone(template)
    bare.get("metadata", {}).get("labels", {}).pop(HASH_LABEL, None)
    canonical = json.dumps(bare, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:10]


def owned(world: World, plural: str, owner: Obj) -> list[Obj]:
    uid = owner["metadata"]["uid"]
    return [
        obj
        for obj in world.items(plural, owner["metadata"]["namespace"])
        if any(ref.get("uid") == uid for ref in obj["metadata"].get("ownerReferences", []))
    ]


def revision(obj: Obj) -> int:
    return int(obj["metadata"].get("annotations", {}).get(REVISION, "0"))


def reconcile_deployments(world: World) -> None:
    for deployment in world.items("deployments"):
        if not deployment["spec"].get("paused"):
            _roll(world, deployment)
    for replica_set in world.items("replicasets"):
        _scale(world, replica_set)
    for deployment in world.items("deployments"):
        _deployment_status(world, deployment)


def _roll(world: World, deployment: Obj) -> None:
    template = deployment["spec"]["template"]
    wanted = template_hash(template)
    sets = owned(world, "replicasets", deployment)
    newest = max((revision(rs) for rs in sets), default=0)
    current = next((rs for rs in sets if rs["metadata"]["labels"].get(HASH_LABEL) == wanted), None)
    if current is None:
        current = world.add(_replica_set(deployment, wanted, newest + 1))
        world.progress_at[deployment["metadata"]["uid"]] = world.clock
        sets.append(current)
    elif revision(current) < newest:
        current = world.update(
            current, lambda rs: rs["metadata"]["annotations"].update({REVISION: str(newest + 1)})
        )
        world.progress_at[deployment["metadata"]["uid"]] = world.clock
    if revision(deployment) != revision(current):
        world.update(
            deployment,
            lambda d: (
                d["metadata"]
                .setdefault("annotations", {})
                .update({REVISION: str(revision(current))})
            ),
        )
    desired = deployment["spec"].get("replicas", 1)
    _set_replicas(world, deployment, current, desired)
    new_ready = sum(1 for pod in owned(world, "pods", current) if is_ready(pod))
    remaining = max(0, desired - new_ready)
    old_sets = [rs for rs in sets if rs["metadata"]["uid"] != current["metadata"]["uid"]]
    for old in sorted(old_sets, key=revision, reverse=True):
        keep = min(old["spec"]["replicas"], remaining)
        remaining -= keep
        _set_replicas(world, deployment, old, keep)


def _set_replicas(world: World, deployment: Obj, replica_set: Obj, count: int) -> None:
    before = replica_set["spec"]["replicas"]
    if before == count:
        return
    world.update(replica_set, lambda rs: rs["spec"].update({"replicas": count}))
    direction = "up" if count > before else "down"
    message = f"Scaled {direction} replica set {replica_set['metadata']['name']} to {count}"
    world.event(deployment, "ScalingReplicaSet", message)
    world.progress_at[deployment["metadata"]["uid"]] = world.clock


def _replica_set(deployment: Obj, pod_hash: str, number: int) -> Obj:
    meta = deployment["metadata"]
    template = clone(deployment["spec"]["template"])
    template.setdefault("metadata", {}).setdefault("labels", {})[HASH_LABEL] = pod_hash
    selector = clone(deployment["spec"]["selector"])
    selector.setdefault("matchLabels", {})[HASH_LABEL] = pod_hash
    return {
        "kind": "ReplicaSet",
        "apiVersion": "apps/v1",
        "metadata": {
            "name": f"{meta['name']}-{pod_hash}",
            "namespace": meta["namespace"],
            "labels": dict(template["metadata"]["labels"]),
            "annotations": {REVISION: str(number)},
            "ownerReferences": [_owner_ref(deployment)],
        },
        "spec": {"replicas": 0, "selector": selector, "template": template},
        "status": {"replicas": 0},
    }


def _owner_ref(owner: Obj) -> dict[str, Any]:
    return {
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
        "controller": True,
    }


def _scale(world: World, replica_set: Obj) -> None:
    pods = [
        pod
        for pod in owned(world, "pods", replica_set)
        if pod["status"].get("phase") not in ("Failed", "Succeeded")  # evicted pods are replaced
    ]
    wanted = replica_set["spec"]["replicas"]
    namespace = replica_set["metadata"]["namespace"]
    for _ in range(wanted - len(pods)):
        pod = new_pod(world, replica_set, _owner_ref(replica_set))
        refusal = quota_refusal(world, pod)
        if refusal:
            world.event(replica_set, "FailedCreate", refusal, warning=True)
            break
        pods.append(world.add(pod))
        world.event(replica_set, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}")
    if len(pods) > wanted:
        doomed = sorted(pods, key=lambda p: (is_ready(p), p["metadata"]["name"]))
        for pod in doomed[: len(pods) - wanted]:
            world.delete("pods", namespace, pod["metadata"]["name"])
            world.runtime.pop(pod["metadata"]["uid"], None)
            world.event(replica_set, "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}")
        pods = doomed[len(pods) - wanted :]
    ready = sum(1 for pod in pods if is_ready(pod))
    status = {
        "replicas": len(pods),
        "fullyLabeledReplicas": len(pods),
        "readyReplicas": ready,
        "availableReplicas": ready,
        "observedGeneration": replica_set["metadata"].get("generation", 1),
    }
    world.set_field(replica_set, "status", status)


def _deployment_status(world: World, deployment: Obj) -> None:
    sets = owned(world, "replicasets", deployment)
    wanted = template_hash(deployment["spec"]["template"])
    pods = [(rs, pod) for rs in sets for pod in owned(world, "pods", rs)]
    desired = deployment["spec"].get("replicas", 1)
    updated = sum(1 for rs, _ in pods if rs["metadata"]["labels"].get(HASH_LABEL) == wanted)
    ready = sum(1 for _, pod in pods if is_ready(pod))
    current = next((rs for rs in sets if rs["metadata"]["labels"].get(HASH_LABEL) == wanted), None)
    rs_name = current["metadata"]["name"] if current else deployment["metadata"]["name"]
    status: dict[str, Any] = {
        "observedGeneration": deployment["metadata"].get("generation", 1),
        "replicas": len(pods),
        "updatedReplicas": updated,
        "readyReplicas": ready,
        "availableReplicas": ready,
        "unavailableReplicas": max(0, desired - ready),
    }
    status = {k: v for k, v in status.items() if v or k == "observedGeneration"}
    counts = ("replicas", "updatedReplicas", "readyReplicas")
    previous = deployment.get("status", {})
    if any(previous.get(k, 0) != status.get(k, 0) for k in counts):
        world.progress_at[deployment["metadata"]["uid"]] = world.clock
    old_conditions = {c["type"]: c for c in deployment.get("status", {}).get("conditions", [])}
    max_unavailable = desired // 4
    available = ready >= desired - max_unavailable
    conditions = [
        _condition(
            old_conditions,
            "Available",
            available,
            "MinimumReplicasAvailable" if available else "MinimumReplicasUnavailable",
            f"Deployment {'has' if available else 'does not have'} minimum availability.",
            world.now(),
        ),
        _progressing(
            world, deployment, old_conditions, rs_name, desired, updated, ready, len(pods)
        ),
    ]
    status["conditions"] = conditions
    world.set_field(deployment, "status", status)


def _progressing(
    world: World,
    deployment: Obj,
    old: dict[str, Any],
    rs_name: str,
    desired: int,
    updated: int,
    ready: int,
    total: int,
) -> dict[str, Any]:
    now = world.now()
    if updated == desired and ready == desired and total == desired:
        message = f'ReplicaSet "{rs_name}" has successfully progressed.'
        return _condition(old, "Progressing", True, "NewReplicaSetAvailable", message, now)
    deadline = deployment["spec"].get("progressDeadlineSeconds", 600)
    since = world.progress_at.get(deployment["metadata"]["uid"], 0.0)
    if world.clock - since > deadline:
        message = f'ReplicaSet "{rs_name}" has timed out progressing.'
        return _condition(old, "Progressing", False, "ProgressDeadlineExceeded", message, now)
    message = f'ReplicaSet "{rs_name}" is progressing.'
    return _condition(old, "Progressing", True, "ReplicaSetUpdated", message, now)


def _condition(
    old: dict[str, Any], kind: str, ok: bool, reason: str, message: str, now: str
) -> dict[str, Any]:
    previous = old.get(kind, {})
    status = "True" if ok else "False"
    same = previous.get("status") == status and previous.get("reason") == reason
    return {
        "type": kind,
        "status": status,
        "reason": reason,
        "message": message,
        "lastUpdateTime": previous.get("lastUpdateTime", now) if same else now,
        "lastTransitionTime": previous.get("lastTransitionTime", now)
        if previous.get("status") == status
        else now,
    }
