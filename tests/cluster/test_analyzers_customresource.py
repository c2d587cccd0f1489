"""Table tests for the custom resource analyzer: instances of installed CRDs that are not
ready or stuck deleting, and which CRDs' instances a diagnosis reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from cluster.analyzers import customresource
from tests.cluster.kinds import NOW, condition, meta, view

Json = dict[str, Any]
GROUP = "cert-manager.io"
CRD = f"certificates.{GROUP}"


def stamp(minutes_ago: float) -> str:
    return (NOW - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def definition(
    plural: str = "certificates",
    kind: str = "Certificate",
    group: str = GROUP,
    *,
    scope: str = "Namespaced",
    established: str = "True",
    versions: tuple[tuple[str, bool, bool], ...] = (("v1", True, True),),  # name, served, stored
) -> Json:
    return {
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {
            "group": group,
            "names": {"plural": plural, "kind": kind},
            "scope": scope,
            "versions": [{"name": n, "served": s, "storage": st} for n, s, st in versions],
        },
        "status": {"conditions": [condition("Established", established, "InitialNamesAccepted")]},
    }


def cert(name: str, *conditions: Json, **extra: Any) -> Json:
    return {
        "apiVersion": f"{GROUP}/v1",
        "kind": "Certificate",
        "metadata": meta(name, **extra),
        "status": {"conditions": list(conditions)},
    }


def since(kind: str, status: str, minutes_ago: float, reason: str = "", message: str = "") -> Json:
    return {**condition(kind, status, reason, message), "lastTransitionTime": stamp(minutes_ago)}


HEALTHY = cert("web-tls", since("Ready", "True", 300, "Ready", "Certificate is up to date"))
CASES = [
    pytest.param([HEALTHY], [], id="healthy"),
    pytest.param([cert("plain")], [], id="no-conditions"),
    pytest.param(
        [cert("api-tls", since("Ready", "False", 1, "DoesNotExist", "Issuer letsencrypt missing"))],
        [("customresource_not_ready", "warning")],
        id="ready-false",
    ),
    pytest.param(
        [cert("api-tls", since("Ready", "Unknown", 3, "Pending"))], [], id="unknown-but-recent"
    ),
    pytest.param(
        [cert("api-tls", since("Ready", "Unknown", 30, "Pending"))],
        [("customresource_not_ready", "warning")],
        id="unknown-for-long",
    ),
    # No Ready condition: Available is judged instead.
    pytest.param(
        [cert("api-tls", since("Available", "False", 1, "MinimumReplicasUnavailable"))],
        [("customresource_not_ready", "warning")],
        id="available-false",
    ),
    pytest.param(
        [cert("api-tls", since("Ready", "True", 9), since("Available", "False", 9))],
        [],
        id="ready-wins-over-available",
    ),
    pytest.param(
        [
            cert(
                "old-tls",
                since("Ready", "True", 300),
                deletionTimestamp=stamp(45),
                finalizers=["cert-manager.io/cleanup", "example.com/audit"],
            )
        ],
        [("customresource_stuck_deleting", "warning")],
        id="stuck-deleting",
    ),
    pytest.param(
        [cert("old-tls", deletionTimestamp=stamp(2), finalizers=["cert-manager.io/cleanup"])],
        [],
        id="deleting-just-now",
    ),
    pytest.param([cert("old-tls", deletionTimestamp=stamp(45))], [], id="deleting-no-finalizers"),
]
VIEWS = [view(crds=[definition()], custom_instances={CRD: tuple(p.values[0])}) for p in CASES]


@pytest.mark.parametrize("items, expected", CASES)
def test_custom_resource(items, expected) -> None:
    found = customresource.check(view(crds=[definition()], custom_instances={CRD: tuple(items)}))
    assert [(f.problem, f.severity) for f in found] == expected
    assert all(f.object == f"shop/Certificate/{items[0]['metadata']['name']}" for f in found)


def test_evidence_names_the_cause() -> None:
    secret = "Issuer failed: token=abcdef0123456789 rejected\n" + "x" * 600
    broken = cert("api-tls", since("Ready", "False", 1, "DoesNotExist", secret))
    stuck = cert(
        "old-tls", deletionTimestamp=stamp(125), finalizers=["cert-manager.io/cleanup", "a/b"]
    )
    found = customresource.check(view(crds=[definition()], custom_instances={CRD: (broken, stuck)}))
    by_problem = {f.problem: f.evidence for f in found}
    ready = by_problem["customresource_not_ready"]
    assert (ready["kind"], ready["condition"], ready["status"], ready["reason"]) == (
        "Certificate",
        "Ready",
        "False",
        "DoesNotExist",
    )
    assert "abcdef0123456789" not in ready["message"] and "rejected" in ready["message"]
    assert len(ready["message"]) <= 300
    deleting = by_problem["customresource_stuck_deleting"]
    assert deleting["finalizers"] == "cert-manager.io/cleanup, a/b"
    assert deleting["age"] == "2h05m"


def test_which_definitions_are_read() -> None:
    gateway = definition("httproutes", "HTTPRoute", "gateway.networking.k8s.io")
    olm = definition("subscriptions", "Subscription", "operators.coreos.com")
    cluster_scoped = definition("clusterissuers", "ClusterIssuer", scope="Cluster")
    installing = definition("issuers", "Issuer", established="False")
    migrated = definition(versions=(("v1alpha1", True, False), ("v1", True, True)))
    crds = [gateway, olm, cluster_scoped, installing, migrated]
    requests = customresource.instance_requests(view(crds=crds))
    assert [(r.crd, r.group, r.version, r.plural, r.kind) for r in requests] == [
        (CRD, GROUP, "v1", "certificates", "Certificate")
    ]
    assert customresource.instance_requests(view(crds=crds), kind="Issuer") == []


def test_at_most_twenty_definitions_by_name() -> None:
    crds = [definition(f"kind{i:02d}s", f"Kind{i:02d}", "example.com") for i in range(25)][::-1]
    requests = customresource.instance_requests(view(crds=crds))
    assert [r.plural for r in requests] == [f"kind{i:02d}s" for i in range(20)]


def test_instances_of_another_namespace_are_not_judged() -> None:
    other = cert("api-tls", since("Ready", "False", 1))
    other["metadata"]["namespace"] = "elsewhere"
    assert customresource.check(view(crds=[definition()], custom_instances={CRD: (other,)})) == []
