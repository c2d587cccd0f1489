"""Admission webhooks (Validating- and MutatingWebhookConfigurations, cluster-scoped)
whose backend Service is missing, has no ready endpoint, or does not expose the port the
API server calls. With ``failurePolicy: Fail`` (the v1 default) every create/update the
webhook matches is refused: critical; with ``Ignore`` it passes unchecked: warning.

Which webhooks a namespace reports: those whose ``clientConfig.service`` lives in the
namespace diagnosed — the view holds that Service and its Endpoints, so the backend can
be judged; ``--all-namespaces`` thus judges every webhook once. Webhooks called by URL
are not judged."""

from __future__ import annotations

from cluster.finding import Finding, Severity
from cluster.snapshot import Json
from cluster.view import NamespaceView, object_key

KIND = "ValidatingWebhookConfiguration/MutatingWebhookConfiguration"
PROBLEMS = ("webhook_service_missing", "webhook_service_unavailable", "webhook_port_unexposed")
SHOWN = 3  # webhook names listed per finding


def _ready(endpoints: Json | None) -> tuple[int, int]:
    subsets = (endpoints or {}).get("subsets") or []
    ready = sum(len(s.get("addresses") or []) for s in subsets)
    return ready, sum(len(s.get("notReadyAddresses") or []) for s in subsets)


def _problem(view: NamespaceView, ref: Json, endpoints: dict[str, Json]) -> tuple[str, Json]:
    """(problem or "", extra evidence) for one webhook's service reference."""
    service = next((s for s in view.services if s["metadata"]["name"] == ref.get("name")), None)
    if service is None:
        return PROBLEMS[0], {}
    spec = service.get("spec") or {}
    if spec.get("type") == "ExternalName":
        return "", {}
    port = int(ref.get("port") or 443)
    exposed = [int(p["port"]) for p in spec.get("ports") or [] if p.get("port") is not None]
    if port not in exposed:
        return PROBLEMS[2], {"ports": ", ".join(str(p) for p in exposed) or "-"}
    ready, not_ready = _ready(endpoints.get(str(ref.get("name"))))
    if not ready:
        return PROBLEMS[1], {"not_ready": str(not_ready)}
    return "", {}


def _judge(view: NamespaceView, kind: str, config: Json) -> list[Finding]:
    endpoints = {str(e["metadata"]["name"]): e for e in view.endpoints}
    name = str(config["metadata"]["name"])
    grouped: dict[tuple[str, str, int], list[tuple[str, str, Json]]] = {}
    for hook in config.get("webhooks") or []:
        ref = (hook.get("clientConfig") or {}).get("service") or {}
        if not ref or ref.get("namespace") != view.namespace:
            continue
        problem, extra = _problem(view, ref, endpoints)
        if problem:
            policy = str(hook.get("failurePolicy") or "Fail")
            target = (problem, str(ref.get("name")), int(ref.get("port") or 443))
            grouped.setdefault(target, []).append((str(hook.get("name")), policy, extra))
    findings: list[Finding] = []
    for (problem, service, port), hooks in sorted(grouped.items()):
        policies = sorted({policy for _, policy, _ in hooks})
        names = [hook for hook, _, _ in hooks]
        shown = ", ".join(names[:SHOWN]) + (
            f" (+{len(names) - SHOWN})" if len(names) > SHOWN else ""
        )
        evidence = {
            "config": name,
            "config_kind": kind,
            "webhooks": shown,
            "service": f"{view.namespace}/{service}",
            "port": str(port),
            "failure_policy": "/".join(policies),
            **hooks[0][2],
        }
        severity: Severity = "critical" if "Fail" in policies else "warning"
        findings.append(Finding(object_key("", kind, name), problem, evidence, severity))
    return findings


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for kind, configs in (
        ("ValidatingWebhookConfiguration", view.validating_webhooks),
        ("MutatingWebhookConfiguration", view.mutating_webhooks),
    ):
        for config in configs:
            findings.extend(_judge(view, kind, config))
    return findings
