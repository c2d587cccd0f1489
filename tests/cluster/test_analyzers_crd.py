"""Table tests for the CustomResourceDefinition analyzer."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.analyzers import crd
from tests.cluster.kinds import condition, meta, view

Json = dict[str, Any]
GROUP = "gateway.networking.k8s.io"
NAME = f"httproutes.{GROUP}"
# The namespace holds an HTTPRoute: the CRD of its group is relevant to it.
ROUTE = {"apiVersion": f"{GROUP}/v1", "kind": "HTTPRoute", "metadata": meta("web"), "spec": {}}


def definition(
    *conditions: Json,
    versions: tuple[tuple[str, bool], ...] = (("v1", True),),
    stored: tuple[str, ...] = ("v1",),
    group: str = GROUP,
) -> Json:
    return {
        "metadata": {"name": f"httproutes.{group}"},
        "spec": {
            "group": group,
            "names": {"plural": "httproutes", "kind": "HTTPRoute"},
            "scope": "Namespaced",
            "versions": [
                {"name": name, "served": served, "storage": index == 0}
                for index, (name, served) in enumerate(versions)
            ],
        },
        "status": {
            "conditions": list(conditions)
            or [condition("NamesAccepted", "True", "NoConflicts"),
                condition("Established", "True", "InitialNamesAccepted")],
            "storedVersions": list(stored),
        },
    }  # fmt: skip


CASES = [
    pytest.param(view(http_routes=[ROUTE], crds=[definition()]), [], id="healthy"),
    # Two versions, the old one still served and stored: normal during a migration.
    pytest.param(
        view(
            http_routes=[ROUTE],
            crds=[definition(versions=(("v2", True), ("v1", True)), stored=("v1", "v2"))],
        ),
        [],
        id="migrating",
    ),
    pytest.param(
        view(
            http_routes=[ROUTE],
            crds=[
                definition(
                    condition("NamesAccepted", "False", "KindConflict", '"Widget" is in use'),
                    condition("Established", "False", "NotAccepted", "not all names accepted"),
                )
            ],
        ),
        [("crd_names_conflict", "critical")],
        id="names-conflict",
    ),
    pytest.param(
        view(
            http_routes=[ROUTE],
            crds=[
                definition(
                    condition("NamesAccepted", "True", "NoConflicts"),
                    condition("Established", "False", "Installing", "the initial names"),
                )
            ],
        ),
        [("crd_not_established", "critical")],
        id="not-established",
    ),
    pytest.param(
        view(
            http_routes=[ROUTE],
            crds=[definition(versions=(("v2", True), ("v1", False)), stored=("v1", "v2"))],
        ),
        [("crd_stored_version_unserved", "warning")],
        id="stored-unserved",
    ),
]
VIEWS = [p.values[0] for p in CASES]


@pytest.mark.parametrize("namespace, expected", CASES)
def test_crd(namespace, expected) -> None:
    found = crd.check(namespace)
    assert [(f.problem, f.severity) for f in found] == expected
    assert all(f.object == f"/CustomResourceDefinition/{NAME}" for f in found)


def test_unserved_versions_are_named() -> None:
    broken = definition(versions=(("v3", True), ("v2", False)), stored=("v1", "v2", "v3"))
    (finding,) = crd.check(view(http_routes=[ROUTE], crds=[broken]))
    assert (finding.evidence["versions"], finding.evidence["served"]) == ("v1, v2", "v3")


def test_a_crd_the_namespace_does_not_use_only_when_every_one_is_asked_for() -> None:
    unused = definition(versions=(("v2", True), ("v1", False)), stored=("v1",), group="x.io")
    assert crd.check(view(http_routes=[ROUTE], crds=[unused])) == []
    assert crd.check(view(crds=[definition(stored=("v0", "v1"))])) == []  # no route: unused
    (finding,) = crd.check(view(crds=[unused]), every=True)
    assert finding.object == "/CustomResourceDefinition/httproutes.x.io"
