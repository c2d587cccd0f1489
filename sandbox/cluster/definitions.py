"""The API server's CRD controllers: a CustomResourceDefinition's names are accepted
unless another CRD of the group, created earlier, already uses one of them; it is
established once its names were accepted (and stays so); ``storedVersions`` starts with
the storage version and keeps every version objects were ever stored in."""

from __future__ import annotations

from typing import Any

from sandbox.cluster.world import Obj, World

__all__ = ["reconcile_definitions"]


def _names(crd: Obj) -> set[tuple[str, str]]:
    names = crd["spec"].get("names") or {}
    found = {("plural", names.get("plural", "")), ("kind", names.get("kind", ""))}
    if names.get("singular"):
        found.add(("plural", names["singular"]))  # singular and plural share one namespace
    found |= {("short", short) for short in names.get("shortNames") or []}
    return found


def _condition(world: World, old: list[Obj], kind: str, ok: bool, reason: str, message: str) -> Obj:
    status = "True" if ok else "False"
    before = next((c for c in old if c.get("type") == kind), None)
    since = (
        before["lastTransitionTime"] if before and before.get("status") == status else world.now()
    )
    return {
        "type": kind,
        "status": status,
        "reason": reason,
        "message": message,
        "lastTransitionTime": since,
    }


def _conflict(crd: Obj, earlier: list[Obj]) -> tuple[str, str] | None:
    group = crd["spec"].get("group")
    for other in earlier:
        if other["spec"].get("group") != group:
            continue
        shared = _names(crd) & _names(other)
        if shared:
            kind, value = sorted(shared)[0]
            reason = {"kind": "KindConflict", "short": "ShortNamesConflict"}.get(
                kind, "PluralConflict"
            )
            return reason, f'"{value}" is already in use'
    return None


def reconcile_definitions(world: World) -> None:
    crds = sorted(
        world.items("customresourcedefinitions"),
        key=lambda c: (c["metadata"]["creationTimestamp"], c["metadata"]["name"]),
    )
    accepted: list[Obj] = []
    for crd in crds:
        status: dict[str, Any] = dict(crd.get("status") or {})
        old = status.get("conditions") or []
        conflict = _conflict(crd, accepted)
        was_established = any(
            c.get("type") == "Established" and c.get("status") == "True" for c in old
        )
        if conflict is None:
            accepted.append(crd)
            names = _condition(
                world, old, "NamesAccepted", True, "NoConflicts", "no conflicts found"
            )
        else:
            names = _condition(world, old, "NamesAccepted", False, *conflict)
        if conflict is None or was_established:
            established = _condition(
                world,
                old,
                "Established",
                True,
                "InitialNamesAccepted",
                "the initial names have been accepted",
            )
        else:
            established = _condition(
                world, old, "Established", False, "NotAccepted", "not all names are accepted"
            )
        storage = next(
            (v["name"] for v in crd["spec"].get("versions") or [] if v.get("storage")), None
        )
        stored = list(status.get("storedVersions") or [])
        if storage and storage not in stored:
            stored.append(storage)
        status.update(
            conditions=[names, established],
            storedVersions=stored,
            acceptedNames=crd["spec"].get("names") or {},
        )
        world.set_field(crd, "status", status)
