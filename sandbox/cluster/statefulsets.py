"""StatefulSet controller: pods ``name-0 .. name-(n-1)`` created in order, each only once
the one before it is ready (OrderedReady), so one broken pod holds back the rest."""

from __future__ import annotations

from typing import Any

from sandbox.cluster.controllers import template_hash
from sandbox.cluster.kubelet import is_ready, new_pod
from sandbox.cluster.quota import quota_refusal
from sandbox.cluster.world import Obj, World

__all__ = ["reconcile_stateful_sets", "owner_ref", "active_pods"]

POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
REVISION_LABEL = "controller-revision-hash"


def revision_hash(owner: Obj) -> str:
    return template_hash(owner["spec"]["template"])


def outdated(pod: Obj, owner: Obj) -> bool:
    return pod["metadata"].get("labels", {}).get(REVISION_LABEL) != revision_hash(owner)


def replace_one(world: World, owner: Obj, pods: list[Obj], order: Any) -> None:
    """Rolling update: once every pod is ready, delete the first outdated one in ``order``
    (its controller recreates it from the new template)."""
    if not all(is_ready(p) for p in pods):
        return
    stale = sorted((p for p in pods if outdated(p, owner)), key=order)
    if stale:
        pod = stale[0]
        world.delete("pods", pod["metadata"]["namespace"], pod["metadata"]["name"])
        world.runtime.pop(pod["metadata"]["uid"], None)
        world.event(owner, "SuccessfulDelete", f"delete Pod {pod['metadata']['name']} (update)")


def owner_ref(owner: Obj) -> dict[str, Any]:
    return {
        "apiVersion": owner.get("apiVersion", "apps/v1"),
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
        "controller": True,
    }


def active_pods(world: World, owner: Obj) -> list[Obj]:
    """Pods of ``owner`` that have not finished (Failed and Succeeded pods do not count)."""
    uid = owner["metadata"]["uid"]
    return [
        pod
        for pod in world.items("pods", owner["metadata"]["namespace"])
        if any(r.get("uid") == uid for r in pod["metadata"].get("ownerReferences", []))
        and pod.get("status", {}).get("phase") not in ("Failed", "Succeeded")
    ]


def _create(world: World, sts: Obj, ordinal: int) -> bool:
    name = f"{sts['metadata']['name']}-{ordinal}"
    pod = new_pod(world, sts, owner_ref(sts))
    pod["metadata"]["name"] = name
    pod["metadata"]["labels"][POD_NAME_LABEL] = name
    pod["metadata"]["labels"][REVISION_LABEL] = revision_hash(sts)
    refusal = quota_refusal(world, pod)
    if refusal:
        world.event(sts, "FailedCreate", refusal, warning=True)
        return False
    world.add(pod)
    world.event(
        sts,
        "SuccessfulCreate",
        f"create Pod {name} in StatefulSet {sts['metadata']['name']} successful",
    )
    return True


def reconcile_stateful_sets(world: World) -> None:
    for sts in world.items("statefulsets"):
        namespace, name = sts["metadata"]["namespace"], sts["metadata"]["name"]
        replicas = int(sts["spec"].get("replicas", 1))
        parallel = sts["spec"].get("podManagementPolicy") == "Parallel"
        for ordinal in range(replicas):
            pod = world.get("pods", namespace, f"{name}-{ordinal}")
            if pod is None:
                if not _create(world, sts, ordinal) or not parallel:
                    break
                continue
            if not parallel and not is_ready(pod):
                break  # OrderedReady: the next ordinal waits for this one
        for pod in active_pods(world, sts):
            ordinal = int(pod["metadata"]["name"].rsplit("-", 1)[1])
            if ordinal >= replicas:
                world.delete("pods", namespace, pod["metadata"]["name"])
                world.runtime.pop(pod["metadata"]["uid"], None)
        pods = active_pods(world, sts)
        if len(pods) == replicas:  # highest ordinal first, as the controller updates
            replace_one(world, sts, pods, lambda p: -int(p["metadata"]["name"].rsplit("-", 1)[1]))
            pods = active_pods(world, sts)
        ready = sum(1 for pod in pods if is_ready(pod))
        updated = sum(1 for pod in pods if not outdated(pod, sts))
        status = {
            "observedGeneration": sts["metadata"].get("generation", 1),
            "replicas": len(pods),
            "readyReplicas": ready,
            "availableReplicas": ready,
            "currentReplicas": len(pods),
            "updatedReplicas": updated,
            "updateRevision": f"{name}-{revision_hash(sts)}",
        }
        world.set_field(sts, "status", status)
