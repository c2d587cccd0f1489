"""A Service selecting this workload's pods has no ready endpoint: its traffic fails."""

from __future__ import annotations

from cluster.finding import Finding
from cluster.snapshot import WorkloadSnapshot

PROBLEM = "service_without_endpoints"


def check(snapshot: WorkloadSnapshot) -> list[Finding]:
    labels = (snapshot.deployment["spec"]["template"].get("metadata") or {}).get("labels") or {}
    endpoints = {e["metadata"]["name"]: e for e in snapshot.endpoints}
    findings: list[Finding] = []
    for service in snapshot.services:
        selector = (service.get("spec") or {}).get("selector") or {}
        # Only services whose selector picks this template's pods are ours.
        if not selector or any(labels.get(k) != v for k, v in selector.items()):
            continue
        name = service["metadata"]["name"]
        subsets = (endpoints.get(name) or {}).get("subsets") or []
        ready = sum(len(s.get("addresses") or []) for s in subsets)
        not_ready = sum(len(s.get("notReadyAddresses") or []) for s in subsets)
        if ready:
            continue
        key = f"{snapshot.namespace}/Service/{name}"
        evidence = {"service": name, "deployment": snapshot.name, "not_ready": str(not_ready)}
        findings.append(Finding(key, PROBLEM, evidence, "critical"))
    return findings
