"""Gateways (Gateway API): a GatewayClass that does not exist, not accepted or not
programmed by their controller, listeners the controller refused."""

from __future__ import annotations

from cluster.analyzers.conditions import condition_in, cut
from cluster.finding import Finding, Severity
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "Gateway"
PROBLEMS = (
    "gateway_class_missing",
    "gateway_not_accepted",
    "gateway_not_programmed",
    "gateway_listener_invalid",
)
# A listener's condition and the status that means it does not serve.
LISTENER_TROUBLE = (("Accepted", "False"), ("ResolvedRefs", "False"), ("Conflicted", "True"),
                    ("Programmed", "False"))  # fmt: skip


def _listener_findings(view: NamespaceView, gateway: Json, name: str) -> list[Finding]:
    findings: list[Finding] = []
    for listener in (gateway.get("status") or {}).get("listeners") or []:
        conditions = listener.get("conditions") or []
        for kind, bad in LISTENER_TROUBLE:
            found = condition_in(conditions, kind)
            if found.get("status") != bad:
                continue
            evidence = {
                "gateway": name,
                "listener": str(listener.get("name", "")),
                "condition": f"{kind}={bad}",
                "reason": str(found.get("reason", "")),
                "message": cut(found.get("message")),
            }
            findings.append(Finding(view.key(KIND, name), PROBLEMS[3], evidence, "critical"))
            break  # the first trouble of a listener says enough
    return findings


def check(view: NamespaceView) -> list[Finding]:
    classes = {str(c["metadata"]["name"]) for c in view.gateway_classes}
    classes_known = "gateway_classes" not in view.unreadable
    findings: list[Finding] = []
    for gateway in view.own_gateways():
        name = str(gateway["metadata"]["name"])
        key = view.key(KIND, name)
        class_name = str((gateway.get("spec") or {}).get("gatewayClassName", ""))
        if classes_known and class_name not in classes:
            evidence = {"gateway": name, "gateway_class": class_name}
            findings.append(Finding(key, PROBLEMS[0], evidence, "critical"))
            continue  # no controller will ever look at it: its conditions stay Pending
        conditions = (gateway.get("status") or {}).get("conditions") or []
        accepted, programmed = (
            condition_in(conditions, "Accepted"),
            condition_in(conditions, "Programmed"),
        )
        if accepted and accepted.get("status") != "True":
            status = str(accepted.get("status", "Unknown"))
            evidence = {
                "gateway": name,
                "gateway_class": class_name,
                "status": status,
                "reason": str(accepted.get("reason", "")),
                "message": cut(accepted.get("message")),
            }
            severity: Severity = "critical" if status == "False" else "warning"
            findings.append(Finding(key, PROBLEMS[1], evidence, severity))
        elif programmed.get("status") == "False":
            evidence = {
                "gateway": name,
                "reason": str(programmed.get("reason", "")),
                "message": cut(programmed.get("message")),
            }
            findings.append(Finding(key, PROBLEMS[2], evidence, "critical"))
        findings += _listener_findings(view, gateway, name)
    return findings
