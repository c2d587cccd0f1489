"""OLM CatalogSources whose registry connection is not READY: Subscriptions that use the
catalog cannot resolve or upgrade their operators."""

from __future__ import annotations

from cluster.analyzers.conditions import short
from cluster.finding import Finding
from cluster.view import NamespaceView

KIND = "CatalogSource"
PROBLEMS = ("catalogsource_not_ready",)


def check(view: NamespaceView) -> list[Finding]:
    findings: list[Finding] = []
    for source in view.catalog_sources:
        status = source.get("status") or {}
        connection = status.get("connectionState") or {}
        state = str(connection.get("lastObservedState") or "")
        # No connection state yet (just created, or a ConfigMap catalog): nothing to judge.
        if not state or state == "READY":
            continue
        name = str(source["metadata"]["name"])
        spec = source.get("spec") or {}
        evidence = {
            "catalog": name,
            "state": state,
            "address": short(connection.get("address") or spec.get("address") or spec.get("image")),
            "message": short(status.get("message") or status.get("reason") or ""),
        }
        findings.append(Finding(view.key(KIND, name), PROBLEMS[0], evidence, "warning"))
    return findings
