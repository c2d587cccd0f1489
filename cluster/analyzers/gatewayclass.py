"""GatewayClasses (Gateway API) that no controller accepted: every Gateway of the class
stays unprogrammed. Cluster-scoped: like nodes, a namespace is told about the classes its
Gateways use; every class when asked for all namespaces or for the class itself."""

from __future__ import annotations

from cluster.analyzers.conditions import condition_in, cut
from cluster.finding import Finding, Severity
from cluster.view import NamespaceView, object_key

KIND = "GatewayClass"
PROBLEMS = ("gatewayclass_not_accepted",)


def check(view: NamespaceView, *, every: bool = False) -> list[Finding]:
    used = {str((g.get("spec") or {}).get("gatewayClassName", "")) for g in view.own_gateways()}
    findings: list[Finding] = []
    for gateway_class in view.gateway_classes:
        if not (every or gateway_class["metadata"]["name"] in used):
            continue
        accepted = condition_in((gateway_class.get("status") or {}).get("conditions"), "Accepted")
        if not accepted or accepted.get("status") == "True":
            continue
        name = str(gateway_class["metadata"]["name"])
        status = str(accepted.get("status", "Unknown"))
        evidence = {
            "gateway_class": name,
            "controller": str((gateway_class.get("spec") or {}).get("controllerName", "")),
            "status": status,
            "reason": str(accepted.get("reason", "")),
            "message": cut(accepted.get("message")),
        }
        # Unknown (Pending): no controller has looked at it yet, or none runs for it.
        severity: Severity = "critical" if status == "False" else "warning"
        findings.append(Finding(object_key("", KIND, name), PROBLEMS[0], evidence, severity))
    return findings
