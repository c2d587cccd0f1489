"""OLM v1 ClusterCatalogs (cluster-scoped): not Serving, or Serving but failing to
progress (unpacking a new catalog image is Retrying or Blocked). A catalog switched off
on purpose (``availabilityMode: Unavailable``) is not judged.

Catalogs matter to the namespaces that ClusterExtensions install into: a namespace's
diagnosis reports them only then; ``every_catalog`` reports them always."""

from __future__ import annotations

from cluster.analyzers.clusterextension import installs_into
from cluster.analyzers.conditions import condition, short
from cluster.finding import Finding
from cluster.view import NamespaceView, object_key

KIND = "ClusterCatalog"
PROBLEMS = ("clustercatalog_not_serving", "clustercatalog_progressing_failed")
FAILING_PROGRESS = ("Retrying", "Blocked")


def check(view: NamespaceView, *, every_catalog: bool = False) -> list[Finding]:
    relevant = every_catalog or any(
        installs_into(e, view.namespace) for e in view.cluster_extensions
    )
    findings: list[Finding] = []
    for catalog in view.cluster_catalogs if relevant else ():
        spec = catalog.get("spec") or {}
        if spec.get("availabilityMode") == "Unavailable":
            continue
        serving, progressing = condition(catalog, "Serving"), condition(catalog, "Progressing")
        if not serving and not progressing:
            continue  # not reconciled yet
        stalled = progressing.get("reason") in FAILING_PROGRESS
        name = str(catalog["metadata"]["name"])
        source = (spec.get("source") or {}).get("image") or {}
        reason_from = progressing if stalled else serving
        evidence = {
            "catalog": name,
            "image": short(source.get("ref") or "-"),
            "reason": str(reason_from.get("reason") or "-"),
            "message": short(reason_from.get("message")),
        }
        key = object_key("", KIND, name)
        if serving.get("status") != "True":
            findings.append(Finding(key, PROBLEMS[0], evidence, "warning"))
        elif stalled:
            findings.append(Finding(key, PROBLEMS[1], evidence, "warning"))
    return findings
