"""CustomResourceDefinitions: not established (their kinds are not served), names that
conflict with another CRD's, versions still in storage that are no longer served.

CRDs are cluster-scoped (reported under an empty namespace, like nodes). As nodes are, a
namespace is told about the CRDs it evidently uses: those of the API groups whose objects
it holds among the kinds diagnosis reads (Gateway API). Every CRD when asked for all
namespaces (``--all-namespaces``) or for the CRD itself (``crd/<name>``)."""

from __future__ import annotations

from cluster.analyzers.conditions import condition_in, cut
from cluster.finding import Finding
from cluster.view import NamespaceView, object_key

KIND = "CustomResourceDefinition"
PROBLEMS = ("crd_names_conflict", "crd_not_established", "crd_stored_version_unserved")


def used_groups(view: NamespaceView) -> set[str]:
    """The API groups of the custom objects the namespace holds."""
    objects = (*view.own_gateways(), *view.http_routes)
    return {
        str(o.get("apiVersion", "")).split("/")[0]
        for o in objects
        if "/" in str(o.get("apiVersion", ""))
    }


def check(view: NamespaceView, *, every: bool = False) -> list[Finding]:
    groups = used_groups(view)
    findings: list[Finding] = []
    for crd in view.crds:
        if not (every or (crd.get("spec") or {}).get("group") in groups):
            continue
        name = str(crd["metadata"]["name"])
        key = object_key("", KIND, name)
        spec, status = crd.get("spec") or {}, crd.get("status") or {}
        conditions = status.get("conditions") or []
        names, established = (
            condition_in(conditions, "NamesAccepted"),
            condition_in(conditions, "Established"),
        )
        if names.get("status") == "False":
            evidence = {
                "crd": name,
                "reason": str(names.get("reason", "")),
                "message": cut(names.get("message")),
            }
            findings.append(Finding(key, PROBLEMS[0], evidence, "critical"))
        elif established and established.get("status") != "True":
            evidence = {
                "crd": name,
                "reason": str(established.get("reason", "")),
                "message": cut(established.get("message")),
            }
            findings.append(Finding(key, PROBLEMS[1], evidence, "critical"))
        served = [str(v.get("name")) for v in spec.get("versions") or [] if v.get("served")]
        unserved = [str(v) for v in status.get("storedVersions") or [] if str(v) not in served]
        if unserved:
            evidence = {"crd": name, "versions": ", ".join(unserved), "served": ", ".join(served)}
            findings.append(Finding(key, PROBLEMS[2], evidence, "warning"))
    return findings
