"""Dynamic resource allocation as the scheduler does it: a pod's ResourceClaims are
allocated when it is placed, from the devices of an existing DeviceClass (every node of
the simulator has them); a claim whose class does not exist cannot be allocated, and the
pod stays Pending with the scheduler's message."""

from __future__ import annotations

from sandbox.cluster.world import Obj, World

__all__ = ["claims_of", "unallocatable", "allocate"]


def _class_names(claim: Obj) -> list[str]:
    names: list[str] = []
    for request in ((claim.get("spec") or {}).get("devices") or {}).get("requests") or []:
        for part in (request, request.get("exactly") or {}, *(request.get("firstAvailable") or [])):
            if part.get("deviceClassName"):
                names.append(part["deviceClassName"])
    return names


def claims_of(world: World, pod: Obj) -> list[tuple[str, Obj | None]]:
    """(name, claim or None when it does not exist) for every claim the pod names."""
    namespace = pod["metadata"]["namespace"]
    found: list[tuple[str, Obj | None]] = []
    for ref in pod["spec"].get("resourceClaims") or []:
        name = ref.get("resourceClaimName")
        if name:
            found.append((name, world.get("resourceclaims", namespace, name)))
    return found


def unallocatable(world: World, pod: Obj, nodes: int) -> str:
    """The scheduler's message when one of the pod's claims cannot be allocated (else "")."""
    for name, claim in claims_of(world, pod):
        if claim is None:
            return f'pod "{pod["metadata"]["name"]}": resourceclaim "{name}" not found'
        if (claim.get("status") or {}).get("allocation"):
            continue
        if any(world.get("deviceclasses", "", c) is None for c in _class_names(claim)):
            return f"0/{nodes} nodes are available: {nodes} cannot allocate all claims."
    return ""


def allocate(world: World, pod: Obj, node: str) -> None:
    """Allocate the pod's claims on ``node`` and reserve them for the pod."""
    for _, claim in claims_of(world, pod):
        if claim is None:
            continue
        status = dict(claim.get("status") or {})
        if not status.get("allocation"):
            requests = ((claim.get("spec") or {}).get("devices") or {}).get("requests") or []
            results = [
                {
                    "request": r.get("name", ""),
                    "driver": "gpu.example.com",
                    "pool": node,
                    "device": f"gpu-{index}",
                }
                for index, r in enumerate(requests)
            ]
            selector = {
                "nodeSelectorTerms": [
                    {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}
                ]
            }
            status["allocation"] = {"devices": {"results": results}, "nodeSelector": selector}
        reserved = list(status.get("reservedFor") or [])
        uid = pod["metadata"]["uid"]
        if all(r.get("uid") != uid for r in reserved):
            reserved.append({"resource": "pods", "name": pod["metadata"]["name"], "uid": uid})
        status["reservedFor"] = reserved
        world.set_field(claim, "status", status)
