"""/diagnose of the extension APIs end to end: Gateway API, CustomResourceDefinitions and
DRA ResourceClaims served by the simulator (with their controllers' statuses) to the real
kubernetes client; read-only, DRA read in the first version served, absent APIs silent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cluster.access import ClusterAccess
from cluster.survey import survey_namespace, survey_namespaces
from sandbox.cluster import KubeSimulator
from sandbox.cluster.broken import broken_kinds_world

# object → (problem, evidence that names the cause)
EXPECTED = {
    ("platform/Gateway/edge", "gateway_listener_invalid"): {
        "listener": "https",
        "reason": "InvalidCertificateRef",
    },
    ("platform/Gateway/legacy-lb", "gateway_class_missing"): {"gateway_class": "nginx"},
    ("platform/Gateway/internal", "gateway_not_accepted"): {"status": "Unknown"},
    ("/GatewayClass/internal", "gatewayclass_not_accepted"): {
        "status": "False",
        "reason": "InvalidParameters",
    },
    ("platform/HTTPRoute/shop-web", "httproute_gateway_missing"): {"gateway": "platform/legacy"},
    ("platform/HTTPRoute/shop-web", "httproute_backend_missing"): {"service": "catalog"},
    ("platform/HTTPRoute/shop-web", "httproute_backend_port"): {"port": "8080", "ports": "80"},
    ("platform/ResourceClaim/gpu-train", "resourceclaim_device_class_missing"): {
        "device_class": "gpu.nvidia.com"
    },
    ("platform/ResourceClaim/gpu-train", "resourceclaim_unallocated"): {
        "waiting": "1",
        "message": "0/4 nodes are available: 4 cannot allocate all claims.",
    },
}
CRD = "/CustomResourceDefinition/widgets.example.com"


@pytest.fixture(scope="module")
def sim() -> Iterator[KubeSimulator]:
    with KubeSimulator(broken_kinds_world()) as served:
        yield served


def _found(survey) -> dict[tuple[str, str], dict[str, str]]:
    return {(o.object, f.problem): f.evidence for o in survey.objects for f in o.findings}


async def test_every_extension_finding_with_its_cause(sim) -> None:
    survey = await survey_namespace(ClusterAccess(sim.api_client()), "platform")
    found = _found(survey)
    for key, evidence in EXPECTED.items():
        assert key in found, key
        assert evidence.items() <= found[key].items(), key
    assert not survey.failures and not survey.unreadable
    # The healthy class, the Gateway API's own CRDs and the explained ResolvedRefs: silent.
    objects = {o.object for o in survey.objects}
    assert "/GatewayClass/public" not in objects
    assert not any(o.startswith("/CustomResourceDefinition/") for o in objects)
    assert not any(p == "httproute_refs_unresolved" for _, p in found)
    for method in ("PATCH", "POST", "PUT", "DELETE"):
        assert sim.requests_to(method) == []


async def test_dra_is_read_in_the_version_the_server_serves(sim) -> None:
    claims = r"^/apis/resource\.k8s\.io/.*/namespaces/platform/resourceclaims$"
    before = len(sim.requests_to("GET", claims))
    await survey_namespace(ClusterAccess(sim.api_client()), "platform")
    asked = [r.path for r in sim.requests_to("GET", claims)[before:]]
    # Discovery says the simulator serves v1beta1 only (Kubernetes 1.32): no guessing.
    assert asked == ["/apis/resource.k8s.io/v1beta1/namespaces/platform/resourceclaims"]
    # Without discovery, every version is tried in turn.
    sim.inject_fault(r"^/apis/?$", status=403)
    before = len(sim.requests_to("GET", claims))
    try:
        survey = await survey_namespace(ClusterAccess(sim.api_client()), "platform")
    finally:
        sim.clear_faults()
    asked = [r.path.split("/")[3] for r in sim.requests_to("GET", claims)[before:]]
    assert asked == ["v1", "v1beta2", "v1beta1"]
    assert "platform/ResourceClaim/gpu-train" in {o.object for o in survey.objects}


async def test_crds_are_cluster_wide(sim) -> None:
    access = ClusterAccess(sim.api_client())
    shop = await survey_namespace(access, "shop")
    assert CRD not in {o.object for o in shop.objects}  # shop uses no custom kind
    every = await survey_namespaces(access, ["shop", "platform"])
    found = _found(every)
    assert found[(CRD, "crd_names_conflict")]["reason"] == "ShortNamesConflict"
    assert found[(CRD, "crd_stored_version_unserved")]["versions"] == "v1alpha1"
    assert [o.object for o in every.objects].count(CRD) == 1
    one = await survey_namespace(access, "default", only=CRD)
    assert [o.object for o in one.objects] == [CRD]


async def test_an_absent_api_says_nothing_a_forbidden_one_is_named(sim) -> None:
    sim.inject_fault(r"^/apis/gateway\.networking\.k8s\.io/", status=404)
    try:
        survey = await survey_namespace(ClusterAccess(sim.api_client()), "platform")
    finally:
        sim.clear_faults()
    assert not survey.unreadable
    assert not {o.kind for o in survey.objects} & {"Gateway", "GatewayClass", "HTTPRoute"}
    assert "platform/ResourceClaim/gpu-train" in {o.object for o in survey.objects}
    sim.inject_fault(r"/apis/gateway\.networking\.k8s\.io/v1/gateways$", status=403, times=1)
    survey = await survey_namespace(ClusterAccess(sim.api_client()), "platform")
    assert survey.unreadable == ("gateways",)
    # Without the Gateways, no route is said to lack its Gateway.
    assert ("platform/HTTPRoute/shop-web", "httproute_gateway_missing") not in _found(survey)
