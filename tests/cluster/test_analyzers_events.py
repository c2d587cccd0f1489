"""Table tests for the Events analyzer: warning events of the last hour, per object a
person fixes; old, normal and orphaned events say nothing."""

from __future__ import annotations

import pytest

from cluster.analyzers import events
from tests.cluster.kinds import event, meta, owner, pod, view, workload

WEB = workload("Deployment", "web")
RS = {"metadata": meta("web-abc", ownerReferences=owner("Deployment", "web"))}
POD = pod("web-abc-1", owned_by=("ReplicaSet", "web-abc"))


def at(item: dict, stamp: str | None, **extra: object) -> dict:
    return {**item, "lastTimestamp": stamp, **extra}


UNHEALTHY = event("Pod", "web-abc-1", "Unhealthy", "Readiness probe failed: HTTP 503")
PARTS = {"deployments": [WEB], "replica_sets": [RS], "pods": [POD]}

CASES = [
    # Healthy: only a Normal event, and a warning from yesterday.
    pytest.param(
        view(
            events=[
                at(UNHEALTHY, "2026-03-01T11:30:00Z", type="Normal"),
                at(UNHEALTHY, "2026-02-28T11:30:00Z"),
            ],
            **PARTS,
        ),
        [],
        id="healthy",
    ),
    # A pod's warnings count for its Deployment.
    pytest.param(
        view(events=[at(UNHEALTHY, "2026-03-01T11:30:00Z", count=4)], **PARTS),
        [("shop/Deployment/web", "warning_events", "4")],
        id="pod-to-deployment",
    ),
    # events.k8s.io style: a series with its own count and time; a stamp without zone is UTC.
    pytest.param(
        view(
            events=[
                at(
                    UNHEALTHY,
                    None,
                    eventTime="2026-03-01T11:45:00.123456Z",
                    series={"count": 7, "lastObservedTime": "2026-03-01T11:50:00.000000"},
                )
            ],
            **PARTS,
        ),
        [("shop/Deployment/web", "warning_events", "7")],
        id="series",
    ),
    # Events on a pod that is gone are history.
    pytest.param(
        view(events=[event("Pod", "web-old-1", "BackOff", "Back-off restarting")], **PARTS),
        [],
        id="gone",
    ),
    # A kind the view does not read (a ConfigMap ...) is named as it is.
    pytest.param(
        view(events=[event("Certificate", "tls", "Failed", "order failed")]),
        [("shop/Certificate/tls", "warning_events", "1")],
        id="other-kind",
    ),
]


@pytest.mark.parametrize("obj, expected", CASES)
def test_events(obj, expected) -> None:
    found = events.check(obj)
    assert [(f.object, f.problem, f.evidence["events"]) for f in found] == expected


def test_summary_is_bounded_and_redacted() -> None:
    secret = "token=abcdef0123456789abcdef " + "x" * 400
    items = [
        at(event("Pod", "web-abc-1", reason, "old"), f"2026-03-01T11:0{i}:00Z")
        for i, reason in enumerate(["A", "B", "C", "D"])
    ]
    items.append(at(event("Pod", "web-abc-1", "Failed", secret), "2026-03-01T11:50:00Z"))
    (finding,) = events.check(view(events=items, **PARTS))
    assert finding.evidence["reasons"] == "A, B, C (+2)"
    assert finding.evidence["reason"] == "Failed"
    assert "abcdef0123456789" not in finding.evidence["message"]
    assert len(finding.evidence["message"]) <= events.MESSAGE_CHARS
