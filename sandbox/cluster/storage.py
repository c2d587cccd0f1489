"""PersistentVolume controller: claims bind to a matching Available volume or get one from
their StorageClass's provisioner; a missing class or no volume leaves them Pending with the
controller's events; a bound claim whose volume vanished is Lost."""

from __future__ import annotations

from cluster.quantity import parse_memory
from sandbox.cluster.world import Obj, World

__all__ = ["reconcile_claims", "unbound_claims"]

DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"


def _default_class(world: World) -> str:
    for storage_class in world.items("storageclasses"):
        if (storage_class["metadata"].get("annotations") or {}).get(DEFAULT_CLASS) == "true":
            return str(storage_class["metadata"]["name"])
    return ""


def _size(claim: Obj) -> str:
    return str(((claim["spec"].get("resources") or {}).get("requests") or {}).get("storage", "1Gi"))


def _fits(volume: Obj, claim: Obj, class_name: str) -> bool:
    spec = volume["spec"]
    return (
        volume.get("status", {}).get("phase", "Available") == "Available"
        and spec.get("storageClassName", "") == class_name
        and parse_memory(spec.get("capacity", {}).get("storage", "0")) >= parse_memory(_size(claim))
        and set(claim["spec"].get("accessModes") or []) <= set(spec.get("accessModes") or [])
    )


def _bind(world: World, claim: Obj, volume: Obj) -> None:
    meta = claim["metadata"]
    ref = {"kind": "PersistentVolumeClaim", "namespace": meta["namespace"], "name": meta["name"]}
    ref["uid"] = meta["uid"]

    def bound_volume(v: Obj) -> None:
        v["spec"]["claimRef"] = ref
        v["status"] = {"phase": "Bound"}

    world.update(volume, bound_volume)

    def bound_claim(c: Obj) -> None:
        c["spec"]["volumeName"] = volume["metadata"]["name"]
        c["status"] = {
            "phase": "Bound",
            "capacity": dict(volume["spec"].get("capacity") or {}),
            "accessModes": list(volume["spec"].get("accessModes") or []),
        }

    world.update(claim, bound_claim)


def _provision(world: World, claim: Obj, class_name: str) -> Obj:
    volume: Obj = {
        "kind": "PersistentVolume",
        "metadata": {"name": f"pvc-{claim['metadata']['uid']}"},
        "spec": {
            "capacity": {"storage": _size(claim)},
            "accessModes": list(claim["spec"].get("accessModes") or ["ReadWriteOnce"]),
            "storageClassName": class_name,
            "persistentVolumeReclaimPolicy": "Delete",
        },
        "status": {"phase": "Available"},
    }
    world.event(
        claim,
        "ProvisioningSucceeded",
        f"Successfully provisioned volume {volume['metadata']['name']}",
    )
    return world.add(volume)


def _used_by_pod(world: World, claim: Obj) -> bool:
    name = claim["metadata"]["name"]
    return any(
        (v.get("persistentVolumeClaim") or {}).get("claimName") == name
        for pod in world.items("pods", claim["metadata"]["namespace"])
        for v in pod["spec"].get("volumes") or []
    )


def _claim(world: World, claim: Obj) -> None:
    phase = claim.get("status", {}).get("phase", "Pending")
    if phase == "Bound":
        if world.get("persistentvolumes", "", claim["spec"].get("volumeName", "")) is None:
            world.set_field(claim, "status", {"phase": "Lost"})
            message = "Bound claim has lost its PersistentVolume. Data on the volume is lost!"
            world.event(claim, "ClaimLost", message, warning=True)
        return
    if phase == "Lost":
        return
    class_name = claim["spec"].get("storageClassName")
    if class_name is None:
        class_name = _default_class(world)
    volume = next(
        (v for v in world.items("persistentvolumes") if _fits(v, claim, class_name)), None
    )
    if volume is not None:
        _bind(world, claim, volume)
        return
    if not class_name:
        message = "no persistent volumes available for this claim and no storage class is set"
        world.event(claim, "FailedBinding", message)
        world.set_field(claim, "status", {"phase": "Pending"})
        return
    storage_class = world.get("storageclasses", "", class_name)
    if storage_class is None:
        message = f'storageclass.storage.k8s.io "{class_name}" not found'
        world.event(claim, "ProvisioningFailed", message, warning=True)
        world.set_field(claim, "status", {"phase": "Pending"})
        return
    lazy = storage_class.get("volumeBindingMode") == "WaitForFirstConsumer"
    if lazy and not _used_by_pod(world, claim):
        world.event(
            claim, "WaitForFirstConsumer", "waiting for first consumer to be created before binding"
        )
        world.set_field(claim, "status", {"phase": "Pending"})
        return
    _bind(world, claim, _provision(world, claim, class_name))


def reconcile_claims(world: World) -> None:
    for claim in world.items("persistentvolumeclaims"):
        _claim(world, claim)


def unbound_claims(world: World, pod: Obj) -> str:
    """The scheduler's message when a pod's claims are not bound (else "")."""
    namespace = pod["metadata"]["namespace"]
    for volume in pod["spec"].get("volumes") or []:
        name = (volume.get("persistentVolumeClaim") or {}).get("claimName")
        if not name:
            continue
        claim = world.get("persistentvolumeclaims", namespace, name)
        if claim is None:
            return f'persistentvolumeclaim "{name}" not found'
        if claim.get("status", {}).get("phase") != "Bound":
            return "pod has unbound immediate PersistentVolumeClaims"
    return ""
