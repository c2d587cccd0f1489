"""NetworkPolicies that select pods and admit nothing to a port a Service sends to them."""

from __future__ import annotations

from typing import Any

from cluster.finding import Finding
from cluster.selectors import selector_matches
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "NetworkPolicy"
PROBLEMS = ("netpol_blocks_service", "netpol_selects_nothing", "netpol_allows_all")


def _selects(policy: Json, labels: dict[str, str]) -> bool:
    selector = (policy.get("spec") or {}).get("podSelector") or {}
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        return True  # the empty selector picks every pod of the namespace
    return selector_matches(selector, labels)


def _restricts_ingress(policy: Json) -> bool:
    spec = policy.get("spec") or {}
    types = spec.get("policyTypes")
    return "Ingress" in types if types else True


def _admits(policy: Json, port: Any, container_ports: dict[str, int]) -> bool:
    """Whether some ingress rule lets traffic reach ``port`` (number or port name)."""
    number = container_ports.get(port, port) if isinstance(port, str) else port
    for rule in (policy.get("spec") or {}).get("ingress") or []:
        ports = rule.get("ports") or []
        if not ports:
            return True
        for allowed in ports:
            value = allowed.get("port")
            end = allowed.get("endPort")
            if value is None or value in (port, number):
                return True
            if isinstance(value, str) and container_ports.get(value) == number:
                return True
            ranged = end is not None and isinstance(value, int) and isinstance(number, int)
            if ranged and value <= number <= end:
                return True
    return False


def _named_ports(pods: list[Json]) -> dict[str, int]:
    return {
        str(p["name"]): int(p["containerPort"])
        for pod in pods
        for c in (pod.get("spec") or {}).get("containers") or []
        for p in c.get("ports") or []
        if p.get("name")
    }


def _scope(view: NamespaceView) -> list[Finding]:
    """Policies that select no pod (probably a label typo) or admit every peer and port."""
    findings: list[Finding] = []
    for policy in view.network_policies:
        name = str(policy["metadata"]["name"])
        key = view.key(KIND, name)
        if view.pods and not any(
            _selects(policy, p["metadata"].get("labels") or {}) for p in view.pods
        ):
            selector = (policy.get("spec") or {}).get("podSelector") or {}
            labels = ",".join(
                f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())
            )
            evidence = {"policy": name, "selector": labels or str(selector)}
            findings.append(Finding(key, PROBLEMS[1], evidence, "info"))
        rules = (policy.get("spec") or {}).get("ingress") or []
        if _restricts_ingress(policy) and any(not rule for rule in rules):
            findings.append(Finding(key, PROBLEMS[2], {"policy": name}, "info"))
    return findings


def check(view: NamespaceView) -> list[Finding]:
    policies = [p for p in view.network_policies if _restricts_ingress(p)]
    findings: dict[tuple[str, str, str], Finding] = {}
    for service in view.services:
        selector = (service.get("spec") or {}).get("selector") or {}
        if not selector or not policies:
            continue
        pods = [
            p
            for p in view.pods
            if selector_matches({"matchLabels": selector}, p["metadata"].get("labels") or {})
        ]
        if not pods:
            continue
        labels = pods[0]["metadata"].get("labels") or {}
        selecting = [p for p in policies if _selects(p, labels)]
        if not selecting:
            continue
        names = _named_ports(pods)
        for port in (service.get("spec") or {}).get("ports") or []:
            target = port.get("targetPort", port.get("port"))
            # Policies add up: the port is open if any policy selecting the pods admits it.
            if any(_admits(p, target, names) for p in selecting):
                continue
            for policy in selecting:
                name = str(policy["metadata"]["name"])
                evidence = {
                    "policy": name,
                    "service": str(service["metadata"]["name"]),
                    "port": str(target),
                }
                key = (name, evidence["service"], evidence["port"])
                findings[key] = Finding(view.key(KIND, name), PROBLEMS[0], evidence, "critical")
    return list(findings.values()) + _scope(view)
