"""PersistentVolumeClaims: Pending (no such StorageClass, no default class and no matching
volume, provisioning failed) or Lost, and the pods that wait on them."""

from __future__ import annotations

from cluster.finding import Finding, Severity
from cluster.quantity import parse_memory
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "PersistentVolumeClaim"
PROBLEMS = ("pvc_pending", "pvc_lost")
DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"


def _waiting_pods(view: NamespaceView, claim: str) -> list[str]:
    names: list[str] = []
    for pod in view.pods:
        volumes = (pod.get("spec") or {}).get("volumes") or []
        uses = any(
            (v.get("persistentVolumeClaim") or {}).get("claimName") == claim for v in volumes
        )
        if uses and (pod.get("status") or {}).get("phase") in (None, "Pending"):
            names.append(str(pod["metadata"]["name"]))
    return sorted(names)


def _default_class(view: NamespaceView) -> str | None:
    for storage_class in view.storage_classes:
        annotations = storage_class["metadata"].get("annotations") or {}
        if annotations.get(DEFAULT_CLASS) == "true":
            return str(storage_class["metadata"]["name"])
    return None


def _fits(volume: Json, claim: Json, class_name: str) -> bool:
    spec = volume.get("spec") or {}
    status = (volume.get("status") or {}).get("phase", "Available")
    wanted = ((claim["spec"].get("resources") or {}).get("requests") or {}).get("storage", "0")
    have = (spec.get("capacity") or {}).get("storage", "0")
    modes = set(claim["spec"].get("accessModes") or [])
    return (
        status == "Available"
        and spec.get("storageClassName", "") == class_name
        and parse_memory(have) >= parse_memory(wanted)
        and modes <= set(spec.get("accessModes") or [])
    )


def _cause(view: NamespaceView, claim: Json) -> tuple[str, str]:
    """(cause code, detail) of a Pending claim, or ("", "") when it is fine to wait."""
    spec = claim.get("spec") or {}
    classes = {c["metadata"]["name"]: c for c in view.storage_classes}
    class_name = spec.get("storageClassName")
    if class_name is None:
        class_name = _default_class(view) or ""
    name = str(claim["metadata"]["name"])
    if class_name and class_name not in classes:
        return "no_storage_class", ""
    failures = view.events_on(KIND, name, "ProvisioningFailed")
    if failures:
        latest = max(failures, key=lambda e: str(e.get("lastTimestamp") or ""))
        return "provisioning_failed", str(latest.get("message", ""))
    if class_name:
        # A provisioner is at work (or, WaitForFirstConsumer, waits for a pod): no news
        # is good news until it reports ProvisioningFailed.
        return "", ""
    if not any(_fits(v, claim, "") for v in view.volumes):
        return "no_matching_volume", ""
    return "", ""


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for claim in view.claims:
        phase = (claim.get("status") or {}).get("phase", "Pending")
        name = str(claim["metadata"]["name"])
        key = view.key(KIND, name)
        waiting = _waiting_pods(view, name)
        evidence = {
            "claim": name,
            "pods": ", ".join(waiting[:5]),
            "waiting": str(len(waiting)),
            "storage_class": str((claim.get("spec") or {}).get("storageClassName") or ""),
        }
        if phase == "Lost":
            evidence["volume"] = str((claim.get("spec") or {}).get("volumeName", ""))
            findings.append(Finding(key, PROBLEMS[1], evidence, "critical"))
        elif phase == "Pending":
            cause, detail = _cause(view, claim)
            if not cause:
                continue
            evidence.update(cause=cause, detail=detail)
            severity: Severity = "critical" if waiting else "warning"
            findings.append(Finding(key, PROBLEMS[0], evidence, severity))
    return findings
