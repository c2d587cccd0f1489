"""Google Managed Prometheus PodMonitorings: the operator could not turn one into scrape
configuration (``ConfigurationCreateSuccess`` not True, as k8sgpt checks), or its selector
matches no pod of the namespace, so nothing is scraped."""

from __future__ import annotations

from cluster.analyzers.conditions import condition, short
from cluster.analyzers.service import label_difference, nearest_workload
from cluster.finding import Finding
from cluster.selectors import selector_matches
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "PodMonitoring"
PROBLEMS = ("podmonitoring_config_failed", "podmonitoring_selects_nothing")


def selector_text(selector: Json) -> str:
    """``app=orders,tier in (web)``: a LabelSelector as kubectl writes it."""
    terms = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expression in selector.get("matchExpressions") or []:
        values = ",".join(str(v) for v in expression.get("values") or [])
        operator = str(expression.get("operator", "")).lower()
        terms.append(f"{expression.get('key')} {operator} ({values})" if values else
                     f"{expression.get('key')} {operator}")  # fmt: skip
    return ",".join(terms) or "(every pod)"


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for monitoring in view.pod_monitorings:
        name = str(monitoring["metadata"]["name"])
        key = view.key(KIND, name)
        created = condition(monitoring, "ConfigurationCreateSuccess")
        if created and created.get("status") != "True":
            evidence = {
                "monitoring": name,
                "reason": str(created.get("reason") or "-"),
                "message": short(created.get("message")),
            }
            findings.append(Finding(key, PROBLEMS[0], evidence, "warning"))
        selector = (monitoring.get("spec") or {}).get("selector") or {}
        # An empty LabelSelector selects every pod (``selector_matches`` reads it as none).
        if not selector or any(
            selector_matches(selector, p["metadata"].get("labels") or {}) for p in view.pods
        ):
            continue
        evidence = {"monitoring": name, "selector": selector_text(selector), "workload": "-",
                    "difference": "-"}  # fmt: skip
        labels = dict(selector.get("matchLabels") or {})
        nearest = nearest_workload(view, labels) if labels else None
        if nearest is not None:
            kind, workload, template = nearest
            evidence["workload"] = f"{kind}/{workload}"
            evidence["difference"] = label_difference(labels, template)
        findings.append(Finding(key, PROBLEMS[1], evidence, "warning"))
    return findings
