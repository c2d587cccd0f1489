"""OLM v1 ClusterExtensions (cluster-scoped): not Installed, or installed but failing to
progress (an upgrade that is Retrying or Blocked).

A namespace's diagnosis reports the extensions installed into it (``spec.namespace``);
``every_extension`` reports them all (the object's own diagnosis)."""

from __future__ import annotations

from cluster.analyzers.conditions import condition, short
from cluster.finding import Finding
from cluster.snapshot import Json
from cluster.view import NamespaceView, object_key

KIND = "ClusterExtension"
PROBLEMS = ("clusterextension_not_installed", "clusterextension_progressing_failed")
FAILING_PROGRESS = ("Retrying", "Blocked")


def installs_into(extension: Json, namespace: str) -> bool:
    return (extension.get("spec") or {}).get("namespace") == namespace


def check(view: NamespaceView, *, every_extension: bool = False) -> list[Finding]:
    findings: list[Finding] = []
    for extension in view.cluster_extensions:
        if not (every_extension or installs_into(extension, view.namespace)):
            continue
        installed = condition(extension, "Installed")
        progressing = condition(extension, "Progressing")
        if not installed and not progressing:
            continue  # not reconciled yet
        stalled = progressing.get("reason") in FAILING_PROGRESS
        spec = extension.get("spec") or {}
        name = str(extension["metadata"]["name"])
        catalog = (spec.get("source") or {}).get("catalog") or {}
        reason_from = progressing if stalled else installed
        evidence = {
            "extension": name,
            "package": str(catalog.get("packageName") or "-"),
            "namespace": str(spec.get("namespace") or "-"),
            "reason": str(reason_from.get("reason") or "-"),
            "message": short(reason_from.get("message")),
        }
        key = object_key("", KIND, name)
        if installed.get("status") != "True":
            findings.append(Finding(key, PROBLEMS[0], evidence, "critical"))
        elif stalled:
            findings.append(Finding(key, PROBLEMS[1], evidence, "warning"))
    return findings
