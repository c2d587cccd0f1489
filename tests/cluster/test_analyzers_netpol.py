"""Table tests for the NetworkPolicy analyzer."""

from __future__ import annotations

import pytest

from cluster.analyzers import netpol
from tests.cluster.kinds import meta, pod, service, view

POD = pod("api-1", {"app": "api"}, ports=[{"containerPort": 8080, "name": "http"}])
SVC = service("api", {"app": "api"}, 80, 8080)


def policy(name: str, ingress: list | None, selector: dict | None = None, types=None) -> dict:
    spec: dict = {"podSelector": {"matchLabels": selector} if selector else {}}
    if ingress is not None:
        spec["ingress"] = ingress
    if types:
        spec["policyTypes"] = types
    return {"metadata": meta(name), "spec": spec}


CASES = [
    # Healthy: port 8080 admitted from anywhere in the namespace.
    pytest.param([policy("allow", [{"ports": [{"port": 8080}]}], {"app": "api"})], [], id="ok"),
    # A named port admits the same container port.
    pytest.param([policy("named", [{"ports": [{"port": "http"}]}], {"app": "api"})], [], id="name"),
    # A rule without ports admits every port.
    pytest.param([policy("any", [{"from": [{"podSelector": {}}]}])], [], id="all-ports"),
    # Default deny (empty selector, no rules): blocks the Service's port.
    pytest.param([policy("deny", [])], ["deny"], id="deny-all"),
    # Admits 9090 only; a second policy admitting 8080 makes the union fine.
    pytest.param(
        [policy("wrong", [{"ports": [{"port": 9090}]}], {"app": "api"})], ["wrong"], id="wrong-port"
    ),
    pytest.param(
        [
            policy("wrong", [{"ports": [{"port": 9090}]}], {"app": "api"}),
            policy("right", [{"ports": [{"port": 8000, "endPort": 8100}]}], {"app": "api"}),
        ],
        [],
        id="union",
    ),
    # Egress-only policies do not restrict ingress.
    pytest.param([policy("egress", [], types=["Egress"])], [], id="egress-only"),
    # A policy selecting other pods does not concern this Service.
    pytest.param([policy("db", [], {"app": "db"})], [], id="other-pods"),
]


@pytest.mark.parametrize("policies, blamed", CASES)
def test_netpol(policies, blamed) -> None:
    found = netpol.check(view(pods=[POD], services=[SVC], network_policies=policies))
    found = [f for f in found if f.problem == "netpol_blocks_service"]
    assert [f.evidence["policy"] for f in found] == blamed
    assert all(f.problem == "netpol_blocks_service" and f.evidence["port"] == "8080" for f in found)


SCOPE_CASES = [
    # Healthy: selects the api pods, admits one port.
    pytest.param(policy("ok", [{"ports": [{"port": 8080}]}], {"app": "api"}), [], id="ok"),
    # A selector no pod matches (typo app=apii): protects nothing.
    pytest.param(policy("typo", [], {"app": "apii"}), ["netpol_selects_nothing"], id="typo"),
    # An empty rule admits every peer and port.
    pytest.param(policy("open", [{}], {"app": "api"}), ["netpol_allows_all"], id="open"),
]


@pytest.mark.parametrize("obj, expected", SCOPE_CASES)
def test_netpol_scope(obj, expected) -> None:
    found = netpol.check(view(pods=[POD], network_policies=[obj]))
    assert [f.problem for f in found] == expected
    assert all(f.severity == "info" for f in found)
