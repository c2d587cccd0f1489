"""/diagnose of custom resource instances end to end: cert-manager Certificates served by
the simulator through their CRD to the real kubernetes client; read-only, in the CRD's
storage version, and a forbidden or failing read is skipped without a word."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cluster.access import ClusterAccess
from cluster.survey import survey_namespace
from sandbox.cluster import KubeSimulator
from sandbox.cluster.broken import broken_kinds_world

CERTIFICATES = r"^/apis/cert-manager\.io/v1/namespaces/platform/certificates$"


@pytest.fixture(scope="module")
def sim() -> Iterator[KubeSimulator]:
    with KubeSimulator(broken_kinds_world()) as served:
        yield served


def _found(survey) -> dict[tuple[str, str], dict[str, str]]:
    return {(o.object, f.problem): f.evidence for o in survey.objects for f in o.findings}


async def test_not_ready_and_stuck_deleting_instances_with_their_cause(sim) -> None:
    before = len(sim.requests_to("GET", CERTIFICATES))
    survey = await survey_namespace(ClusterAccess(sim.api_client()), "platform")
    found = _found(survey)
    ready = found[("platform/Certificate/api", "customresource_not_ready")]
    assert (ready["kind"], ready["condition"], ready["status"], ready["reason"]) == (
        "Certificate",
        "Ready",
        "False",
        "DoesNotExist",
    )
    assert "letsencrypt-prod" in ready["message"]
    deleting = found[("platform/Certificate/legacy", "customresource_stuck_deleting")]
    assert deleting["finalizers"] == "cert-manager.io/certificate-cleanup"
    assert deleting["age"].startswith("1h")
    certificates = {o.object for o in survey.objects if o.kind == "Certificate"}
    assert certificates == {"platform/Certificate/api", "platform/Certificate/legacy"}
    assert not survey.failures and not survey.unreadable
    # Read once, in the storage version; the other CRDs (Gateway API: judged on their own)
    # are not listed generically.
    assert len(sim.requests_to("GET", CERTIFICATES)) == before + 1
    assert not sim.requests_to(
        "GET", r"^/apis/gateway\.networking\.k8s\.io/v1/namespaces/platform/gatewayclasses"
    )
    for method in ("PATCH", "POST", "PUT", "DELETE"):
        assert sim.requests_to(method) == []


async def test_a_forbidden_read_of_instances_is_skipped_silently(sim) -> None:
    access = ClusterAccess(sim.api_client())
    sim.inject_fault(CERTIFICATES, status=403)
    try:
        survey = await survey_namespace(access, "platform")
    finally:
        sim.clear_faults()
    assert not any(o.kind == "Certificate" for o in survey.objects)
    assert not survey.failures and not survey.unreadable
    # The rest of the diagnosis stands.
    assert "platform/ResourceClaim/gpu-train" in {o.object for o in survey.objects}


async def test_a_failing_read_is_skipped_too(sim) -> None:
    sim.inject_fault(CERTIFICATES, status=500)
    try:
        survey = await survey_namespace(ClusterAccess(sim.api_client()), "platform")
    finally:
        sim.clear_faults()
    assert not any(o.kind == "Certificate" for o in survey.objects)
    assert not survey.failures and not survey.unreadable


async def test_one_instance_asked_for(sim) -> None:
    access = ClusterAccess(sim.api_client())
    one = await survey_namespace(access, "platform", only="platform/Certificate/legacy")
    assert [(o.object, [f.problem for f in o.findings]) for o in one.objects] == [
        ("platform/Certificate/legacy", ["customresource_stuck_deleting"])
    ]
