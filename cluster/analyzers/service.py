"""Services: a selector that matches no pod, no ready endpoint, a targetPort no container
exposes.

A selector that matches no pod carries a plan to correct it only when exactly one
workload in the namespace has pod labels that differ from it by one label value, and
evidently so: the other terms match, or the two values are alike (a typo, a rename)."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from cluster.analyzers.fixes import object_plan
from cluster.finding import Finding
from cluster.plans import FixPlan, SetServiceSelector
from cluster.selectors import selector_matches
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "Service"
PROBLEMS = ("service_selector_mismatch", "service_without_endpoints", "service_port_unexposed")


def _labels_match(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return selector_matches({"matchLabels": selector}, labels)


def _template_labels(workload: Json) -> dict[str, str]:
    template = (workload.get("spec") or {}).get("template") or {}
    return dict((template.get("metadata") or {}).get("labels") or {})


def _likeness(selector: dict[str, str], labels: dict[str, str]) -> float:
    """How close pod labels come to a selector: per term 2 for an exact match, else the
    similarity of the values under the same key, half that under another key."""
    score = 0.0
    for key, value in selector.items():
        if labels.get(key) == value:
            score += 2
        elif key in labels:
            score += SequenceMatcher(None, value, labels[key]).ratio()
        elif labels:
            score += max(SequenceMatcher(None, value, v).ratio() for v in labels.values()) / 2
    return score


def nearest_workload(
    view: NamespaceView, selector: dict[str, str]
) -> tuple[str, str, dict[str, str]] | None:
    """(kind, name, template labels) of the workload the selector evidently meant: the one
    whose pod labels come closest (ties: by name); None when nothing is alike."""
    candidates = [
        (_likeness(selector, _template_labels(w)), kind, str(w["metadata"]["name"]), w)
        for kind, w in view.workloads()
    ]
    candidates = [c for c in candidates if c[0] > 0.5]
    if not candidates:
        return None
    _, kind, name, workload = min(candidates, key=lambda c: (-c[0], c[2]))
    return kind, name, _template_labels(workload)


ALIKE = 0.75  # similarity of two label values that reads as a typo or a rename


def one_value_off(selector: dict[str, str], labels: dict[str, str]) -> str | None:
    """The one selector key whose value differs from ``labels`` (every key present), when
    the workload is evidently the one meant: another term matches, or the values are alike
    (``order`` / ``orders``; with one term, every workload's ``app`` differs by one value)."""
    if not selector.keys() <= labels.keys():
        return None
    off = [key for key, value in selector.items() if labels[key] != value]
    if len(off) != 1:
        return None
    key = off[0]
    alike = SequenceMatcher(None, selector[key], labels[key]).ratio() >= ALIKE
    return key if alike or len(selector) > 1 else None


def corrected_selector(view: NamespaceView, service: Json) -> FixPlan | None:
    """Exactly one workload's pod labels are one value off the selector: point it there."""
    selector = dict((service.get("spec") or {}).get("selector") or {})
    near = [
        (key, labels)
        for _, workload in view.workloads()
        for labels in (_template_labels(workload),)
        for key in (one_value_off(selector, labels),)
        if key is not None
    ]
    if len(near) != 1:
        return None
    key, labels = near[0]
    operation = SetServiceSelector({**selector, key: labels[key]})
    return object_plan(service, KIND, PROBLEMS[0], operation)


def label_difference(selector: dict[str, str], labels: dict[str, str]) -> str:
    """``app=order (pods have app=orders)``: the selector terms the labels do not satisfy."""
    parts: list[str] = []
    for key, value in sorted(selector.items()):
        if labels.get(key) == value:
            continue
        if key in labels:
            parts.append(f"{key}={value} ≠ {key}={labels[key]}")
        else:
            same_value = [k for k, v in labels.items() if v == value]
            hint = f" ≠ {same_value[0]}={value}" if same_value else " (label absent)"
            parts.append(f"{key}={value}{hint}")
    return "; ".join(parts)


def _exposed(pods: list[Json], target: Any) -> bool:
    for pod in pods:
        for container in (pod.get("spec") or {}).get("containers") or []:
            for port in container.get("ports") or []:
                if target in (port.get("containerPort"), port.get("name")):
                    return True
    return False


def _declares_ports(pods: list[Json]) -> bool:
    return any(
        container.get("ports")
        for pod in pods
        for container in (pod.get("spec") or {}).get("containers") or []
    )


def check(view: NamespaceView) -> list[Finding]:
    endpoints = {e["metadata"]["name"]: e for e in view.endpoints}
    findings: list[Finding] = []
    for service in view.services:
        spec = service.get("spec") or {}
        selector = dict(spec.get("selector") or {})
        name = str(service["metadata"]["name"])
        key = view.key(KIND, name)
        # ExternalName and selector-less Services have hand-made endpoints: not ours to judge.
        if not selector or spec.get("type") == "ExternalName":
            continue
        pods = [p for p in view.pods if _labels_match(selector, p["metadata"].get("labels") or {})]
        if not pods:
            selected = ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
            evidence = {"service": name, "selector": selected, "workload": "", "difference": ""}
            nearest = nearest_workload(view, selector)
            if nearest is not None:
                kind, workload, labels = nearest
                evidence["workload"] = f"{kind}/{workload}"
                evidence["difference"] = label_difference(selector, labels)
            plan = corrected_selector(view, service)
            findings.append(Finding(key, PROBLEMS[0], evidence, "critical", plan=plan))
            continue
        subsets = (endpoints.get(name) or {}).get("subsets") or []
        ready = sum(len(s.get("addresses") or []) for s in subsets)
        if not ready:
            not_ready = sum(len(s.get("notReadyAddresses") or []) for s in subsets)
            owner = view.owner_key(pods[0]).split("/", 1)[1]
            evidence = {"service": name, "deployment": owner, "not_ready": str(not_ready)}
            findings.append(Finding(key, PROBLEMS[1], evidence, "critical"))
        if not _declares_ports(pods):
            continue  # containers need not declare ports; without any we cannot tell
        for port in spec.get("ports") or []:
            target = port.get("targetPort", port.get("port"))
            if not _exposed(pods, target):
                evidence = {
                    "service": name,
                    "port": str(port.get("port")),
                    "target_port": str(target),
                }
                findings.append(Finding(key, PROBLEMS[2], evidence, "critical"))
    return findings
