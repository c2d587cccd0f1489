"""Table tests for the ResourceClaim (DRA) analyzer, in the v1 and v1beta1 shapes."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.analyzers import resourceclaim
from tests.cluster.kinds import event, meta, pod, view

Json = dict[str, Any]
GPU = {"metadata": {"name": "gpu.example.com"}, "spec": {}}


def claim(
    name: str = "gpu", cls: str = "gpu.example.com", *, v1: bool = True, allocated: bool = False
) -> Json:
    request: Json = {"name": "gpu"}
    if v1:
        request["exactly"] = {"deviceClassName": cls}
    else:
        request["deviceClassName"] = cls
    status: Json = {}
    if allocated:
        result = {"request": "gpu", "driver": "gpu.example.com", "pool": "n1", "device": "gpu-0"}
        status["allocation"] = {"devices": {"results": [result]}}
    return {"metadata": meta(name), "spec": {"devices": {"requests": [request]}}, "status": status}


def waiting_pod(name: str = "train-0", claim_name: str = "gpu", scheduled: bool = False) -> Json:
    found = pod(name, phase="Pending", ready=False, node="")
    found["spec"]["resourceClaims"] = [{"name": "gpu", "resourceClaimName": claim_name}]
    if not scheduled:
        found["status"]["conditions"].append(
            {
                "type": "PodScheduled",
                "status": "False",
                "reason": "Unschedulable",
                "message": "0/4 nodes are available: 4 cannot allocate all claims.",
            }
        )
    return found


CASES = [
    pytest.param(
        view(resource_claims=[claim(allocated=True)], device_classes=[GPU]), [], id="allocated"
    ),  # fmt: skip
    # Not allocated and nobody waits: delayed allocation, normal.
    pytest.param(view(resource_claims=[claim()], device_classes=[GPU]), [], id="idle"),
    pytest.param(
        view(resource_claims=[claim(cls="tpu.example.com")], device_classes=[GPU]),
        [("resourceclaim_device_class_missing", "critical")],
        id="class-missing-v1",
    ),
    pytest.param(
        view(resource_claims=[claim(cls="tpu.example.com", v1=False)], device_classes=[GPU]),
        [("resourceclaim_device_class_missing", "critical")],
        id="class-missing-v1beta1",
    ),
    pytest.param(
        view(resource_claims=[claim(cls="x")], unreadable=("device_classes",)),
        [],
        id="classes-unreadable",
    ),  # fmt: skip
    pytest.param(
        view(resource_claims=[claim()], device_classes=[GPU], pods=[waiting_pod()]),
        [("resourceclaim_unallocated", "critical")],
        id="pod-waits",
    ),
    # A pod of another claim waiting does not make this one a problem.
    pytest.param(
        view(resource_claims=[claim()], device_classes=[GPU], pods=[waiting_pod(claim_name="o")]),
        [],
        id="other-claim",
    ),
    pytest.param(
        view(resource_claims=[claim(cls="tpu")], device_classes=[GPU], pods=[waiting_pod()]),
        [
            ("resourceclaim_device_class_missing", "critical"),
            ("resourceclaim_unallocated", "critical"),
        ],
        id="both",
    ),  # fmt: skip
]
VIEWS = [p.values[0] for p in CASES]


@pytest.mark.parametrize("namespace, expected", CASES)
def test_resourceclaim(namespace, expected) -> None:
    found = resourceclaim.check(namespace)
    assert [(f.problem, f.severity) for f in found] == expected
    assert all(f.object == "shop/ResourceClaim/gpu" for f in found)


def test_waiting_pods_and_the_scheduler_message_are_named() -> None:
    pods = [waiting_pod("train-1"), waiting_pod("train-0")]
    (finding,) = resourceclaim.check(view(resource_claims=[claim()], device_classes=[GPU],
                                          pods=pods))  # fmt: skip
    assert finding.evidence["pods"] == "train-0, train-1" and finding.evidence["waiting"] == "2"
    assert "cannot allocate all claims" in finding.evidence["message"]


def test_a_claim_made_from_a_template_is_found_through_the_pod_status() -> None:
    waiting = waiting_pod(claim_name="ignored", scheduled=True)
    waiting["spec"]["resourceClaims"] = [{"name": "gpu", "resourceClaimTemplateName": "gpu-t"}]
    waiting["status"]["resourceClaimStatuses"] = [{"name": "gpu", "resourceClaimName": "gpu"}]
    message = "0/1 nodes are available: 1 cannot allocate all claims."
    events = [event("Pod", "train-0", "FailedScheduling", message)]
    (finding,) = resourceclaim.check(
        view(resource_claims=[claim()], device_classes=[GPU], pods=[waiting], events=events)
    )
    assert finding.evidence["message"] == message
