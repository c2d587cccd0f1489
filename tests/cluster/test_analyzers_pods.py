"""Table tests for the pod analyzer: findings land on the object a person would fix."""

from __future__ import annotations

import pytest

from cluster.analyzers import pod as pods
from tests.cluster.kinds import event, meta, owner, pod, view, workload

WEB = workload("Deployment", "web")
RS = {"kind": "ReplicaSet", "metadata": meta("web-abc", ownerReferences=owner("Deployment", "web"))}


def member(name: str = "web-abc-1", **status: object) -> dict:
    return pod(name, {"app": "web"}, owned_by=("ReplicaSet", "web-abc"), **status)


INIT_CRASH = {
    "initContainerStatuses": [
        {
            "name": "migrate",
            "ready": False,
            "restartCount": 3,
            "state": {"waiting": {"reason": "CrashLoopBackOff"}},
            "lastState": {"terminated": {"reason": "Error", "exitCode": 2}},
        }
    ]
}
INIT_DONE = {
    "initContainerStatuses": [
        {
            "name": "migrate",
            "ready": True,
            "state": {"terminated": {"reason": "Completed", "exitCode": 0}},
        }
    ]
}
EVICTED = {"reason": "Evicted", "message": "The node was low on resource: memory."}
MOUNT = 'MountVolume.SetUp failed for volume "cfg" : configmap "web-config" not found'
KEY = (
    'MountVolume.SetUp failed for volume "cfg" : configmap references non-existent config key: port'
)
CFG_VOLUME = [{"name": "cfg", "configMap": {"name": "web-config"}}]

CASES = [
    pytest.param([member(**INIT_DONE)], [], [], id="healthy"),
    pytest.param([member(**INIT_CRASH)], [], [("init_container_failing", "migrate")], id="init"),
    pytest.param(
        [member(phase="Failed", **EVICTED), member("web-abc-2", phase="Failed", **EVICTED)],
        [],
        [("pod_evicted", None)],
        id="evicted",
    ),
    pytest.param(
        [member(phase="Pending")],
        [event("Pod", "web-abc-1", "FailedMount", MOUNT)],
        [("volume_source_missing", None)],
        id="mount",
    ),
]


@pytest.mark.parametrize("items, events, expected", CASES)
def test_pods(items, events, expected) -> None:
    found = pods.check(view(deployments=[WEB], replica_sets=[RS], pods=items, events=events))
    assert [(f.problem, f.container) for f in found] == expected
    # Reported on the Deployment, through the ReplicaSet that owns the pods.
    assert all(f.object == "shop/Deployment/web" for f in found)


def test_evictions_are_counted_once_per_owner() -> None:
    items = [member(f"web-abc-{i}", phase="Failed", **EVICTED) for i in range(3)]
    (finding,) = pods.check(view(deployments=[WEB], replica_sets=[RS], pods=items))
    assert finding.evidence["count"] == "3"


def test_missing_key_names_the_source() -> None:
    item = member(phase="Pending", volumes=CFG_VOLUME)
    events = [event("Pod", "web-abc-1", "FailedMount", KEY)]
    (finding,) = pods.check(view(deployments=[WEB], replica_sets=[RS], pods=[item], events=events))
    assert (finding.evidence["reference"], finding.evidence["missing_key"]) == (
        "ConfigMap/web-config",
        "port",
    )


def test_a_bare_pod_is_its_own_owner() -> None:
    (finding,) = pods.check(view(pods=[pod("debug", **INIT_CRASH)]))
    assert finding.object == "shop/Pod/debug"
