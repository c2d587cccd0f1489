"""ResourceClaims (dynamic resource allocation, resource.k8s.io): a request for a
DeviceClass that does not exist, a claim not allocated while a pod waits on it.

Read in the first version the server serves (v1, v1beta2, v1beta1): v1 and v1beta2 put a
request's class under ``exactly`` or ``firstAvailable``, v1beta1 on the request itself."""

from __future__ import annotations

from cluster.analyzers.conditions import cut
from cluster.finding import Finding
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "ResourceClaim"
PROBLEMS = ("resourceclaim_device_class_missing", "resourceclaim_unallocated")
MAX_PODS = 5  # named in the evidence


def device_class_names(claim: Json) -> list[str]:
    """Every DeviceClass the claim's requests name, in order, once each."""
    names: list[str] = []
    for request in ((claim.get("spec") or {}).get("devices") or {}).get("requests") or []:
        candidates = [request, request.get("exactly") or {}, *(request.get("firstAvailable") or [])]
        for part in candidates:
            name = part.get("deviceClassName")
            if name and str(name) not in names:
                names.append(str(name))
    return names


def _uses(pod: Json, claim: Json) -> bool:
    """The pod needs the claim: by name, through a template (its status names the claim
    made for it), or the claim was made for the pod (owned by it)."""
    name = claim["metadata"]["name"]
    status = pod.get("status") or {}
    if any(
        ref.get("resourceClaimName") == name
        for ref in (pod.get("spec") or {}).get("resourceClaims") or []
    ):
        return True
    if any(s.get("resourceClaimName") == name for s in status.get("resourceClaimStatuses") or []):
        return True
    uid = pod["metadata"].get("uid")
    return any(ref.get("uid") == uid for ref in claim["metadata"].get("ownerReferences") or [])


def _waiting(pod: Json) -> bool:
    return (pod.get("status") or {}).get("phase", "Pending") == "Pending" and not (
        pod.get("spec") or {}
    ).get("nodeName")


def _scheduler_message(view: NamespaceView, pods: list[Json]) -> str:
    for pod in pods:
        for c in (pod.get("status") or {}).get("conditions") or []:
            if c.get("type") == "PodScheduled" and c.get("status") == "False" and c.get("message"):
                return cut(c["message"])
        events = view.events_on("Pod", str(pod["metadata"]["name"]), "FailedScheduling")
        if events:
            latest = max(events, key=lambda e: str(e.get("lastTimestamp") or ""))
            return cut(latest.get("message"))
    return ""


def check(view: NamespaceView) -> list[Finding]:
    known = {str(c["metadata"]["name"]) for c in view.device_classes}
    classes_readable = "device_classes" not in view.unreadable
    findings: list[Finding] = []
    for claim in view.resource_claims:
        name = str(claim["metadata"]["name"])
        key = view.key(KIND, name)
        missing = [c for c in device_class_names(claim) if c not in known]
        if classes_readable and missing:
            for class_name in missing:
                evidence = {"claim": name, "device_class": class_name}
                findings.append(Finding(key, PROBLEMS[0], evidence, "critical"))
        if (claim.get("status") or {}).get("allocation"):
            continue
        waiting = sorted(
            (p for p in view.pods if _waiting(p) and _uses(p, claim)),
            key=lambda p: str(p["metadata"]["name"]),
        )
        if not waiting:
            continue  # unallocated until a pod needs it (delayed allocation): normal
        evidence = {
            "claim": name,
            "waiting": str(len(waiting)),
            "pods": ", ".join(str(p["metadata"]["name"]) for p in waiting[:MAX_PODS]),
            "message": _scheduler_message(view, waiting),
        }
        findings.append(Finding(key, PROBLEMS[1], evidence, "critical"))
    return findings
