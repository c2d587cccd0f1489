"""Table tests for capacity rules: unschedulable, quota, over-requesting, CPU throttling."""

from __future__ import annotations

import pytest

from cluster.plans import PatchResources
from cluster.rules import cpu_throttled, overprovisioned, quota_exceeded, unschedulable
from tests.cluster.builders import container, deployment, event, node, pod, snap, status, usage

UNSCHEDULABLE = [
    {
        "type": "PodScheduled",
        "status": "False",
        "reason": "Unschedulable",
        "message": "0/1 nodes are available: 1 Insufficient memory.",
    }
]
PENDING = pod(
    "web-1",
    status(ready=False, waiting="ContainerCreating"),
    conditions=UNSCHEDULABLE,
    phase="Pending",
)
HUGE = deployment([container(requests={"cpu": "500m", "memory": "16Gi"})])


def test_unschedulable_when_no_node_could_ever_fit() -> None:
    # 16Gi requested, the biggest node has 8Gi: it can never schedule.
    (finding,) = unschedulable.check(snap(HUGE, pods=[PENDING], nodes=[node()]))
    assert finding.evidence["never_fits"] == "true"
    assert finding.evidence["memory_request"] == "16Gi"
    assert finding.evidence["largest_node_memory"] == "8Gi"
    assert finding.plan is None  # no usage data: no safe smaller request to propose


def test_unschedulable_with_usage_proposes_requests_that_fit() -> None:
    # It used 1Gi and 100m before: 1.2 × use → 1229Mi, 120m.
    snapshot = snap(HUGE, pods=[PENDING], nodes=[node()], usage={"app": usage(100, 1024)})
    (finding,) = unschedulable.check(snapshot)
    assert finding.plan is not None
    assert finding.plan.operations == (
        PatchResources("app", requests={"cpu": "120m", "memory": "1229Mi"}),
    )


def test_unschedulable_because_nodes_are_full_not_too_small() -> None:
    # 500m/1Gi would fit an empty node: the cluster is full, so no resize is proposed.
    small = deployment([container(requests={"cpu": "500m", "memory": "1Gi"})])
    (finding,) = unschedulable.check(
        snap(small, pods=[PENDING], nodes=[node()], usage={"app": usage(10, 100)})
    )
    assert finding.evidence["never_fits"] == "false" and finding.plan is None


def test_scheduled_pods_are_not_unschedulable() -> None:
    # Running pods with the same huge requests already found a place: nothing.
    assert unschedulable.check(snap(HUGE, pods=[pod("web-1")], nodes=[node()])) == []


QUOTA_MESSAGE = (
    'Error creating: pods "web-abc" is forbidden: exceeded quota: compute, requested: '
    "requests.memory=1Gi, used: requests.memory=8Gi, limited: requests.memory=8Gi"
)


@pytest.mark.parametrize(
    "events, expected",
    [
        # The ReplicaSet could not create pods because of the quota.
        pytest.param(
            [event("ReplicaSet", "web-rs", "FailedCreate", QUOTA_MESSAGE)], "compute", id="quota"
        ),
        # FailedCreate for another reason (admission webhook) is not a quota problem.
        pytest.param(
            [event("ReplicaSet", "web-rs", "FailedCreate", "admission webhook denied")],
            None,
            id="webhook",
        ),
        # No events.
        pytest.param([], None, id="none"),
    ],
)
def test_quota_exceeded(events, expected) -> None:
    findings = quota_exceeded.check(snap(events=events))
    assert [f.evidence["quota"] for f in findings] == ([expected] if expected else [])


LEGACY = deployment([container("nginx", port=80, requests={"memory": "512Mi", "cpu": "500m"})])

OVER_CASES = [
    # The legacy seed: 512Mi/500m requested, 12Mi/2m used → 32Mi (floor) and 10m (floor).
    pytest.param(LEGACY, usage(2, 12), {"cpu": "10m", "memory": "32Mi"}, id="legacy-nginx"),
    # Memory generous but CPU tight: only memory comes down (1.5 × 100Mi → 160Mi).
    pytest.param(
        deployment([container("nginx", requests={"memory": "1Gi", "cpu": "100m"})]),
        usage(90, 100),
        {"memory": "160Mi"},
        id="memory-only",
    ),
    # 4× the use but only 60m wasted: not worth a change.
    pytest.param(
        deployment([container("nginx", requests={"cpu": "80m"})]),
        usage(20, 10),
        None,
        id="small-waste",
    ),
    # Requests close to use: nothing.
    pytest.param(
        deployment([container("nginx", requests={"memory": "256Mi", "cpu": "200m"})]),
        usage(150, 200),
        None,
        id="well-sized",
    ),
]


@pytest.mark.parametrize("dep, observed, lowered", OVER_CASES)
def test_requests_above_usage(dep, observed, lowered) -> None:
    findings = overprovisioned.check(snap(dep, usage={"nginx": observed}))
    if lowered is None:
        assert findings == []
        return
    (finding,) = findings
    assert finding.severity == "info" and finding.plan is not None
    assert finding.plan.operations == (PatchResources("nginx", requests=lowered),)


def test_requests_above_usage_needs_usage() -> None:
    # No metrics: the rule cannot judge and stays quiet.
    assert overprovisioned.check(snap(LEGACY)) == []


THROTTLE_CASES = [
    # Using 50m of a 50m limit: throttled; 4 × 50m = 200m.
    pytest.param("50m", usage(50, 100), "200m", id="at-limit"),
    # 95% of a 1-core limit: throttled; 4 cores.
    pytest.param("1", usage(950, 100), "4", id="one-core"),
    # 50% of the limit: fine.
    pytest.param("500m", usage(250, 100), None, id="half"),
]


@pytest.mark.parametrize("limit, observed, raised", THROTTLE_CASES)
def test_cpu_throttled(limit, observed, raised) -> None:
    dep = deployment([container("ledger", limits={"cpu": limit})])
    findings = cpu_throttled.check(snap(dep, usage={"ledger": observed}))
    if raised is None:
        assert findings == []
        return
    (finding,) = findings
    assert finding.plan is not None
    assert finding.plan.operations == (PatchResources("ledger", limits={"cpu": raised}),)
