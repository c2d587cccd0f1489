"""Table tests for StatefulSets and DaemonSets: their own analyzers and the workload rules
(written for Deployments) run on their pod templates."""

from __future__ import annotations

import pytest

from cluster.analyzers import daemonset, statefulset
from cluster.diagnose import run_rules
from cluster.snapshot import WorkloadSnapshot
from tests.cluster.builders import status
from tests.cluster.kinds import event, pod, view, workload


def sts(replicas: int = 3, ready: int = 3, **spec: object) -> dict:
    obj = workload("StatefulSet", "db", replicas=replicas, **spec)
    obj["status"] = {"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready}
    return obj


def member(ordinal: int, ready: bool = True, **extra: object) -> dict:
    return pod(f"db-{ordinal}", {"app": "db"}, ready=ready, owned_by=("StatefulSet", "db"), **extra)


CRASHING = {"containerStatuses": [status(ready=False, restarts=4, waiting="CrashLoopBackOff")]}

STS_CASES = [
    pytest.param(sts(), [member(0), member(1), member(2)], None, id="healthy"),
    # db-1 crashes: db-2 is never created.
    pytest.param(
        sts(ready=1),
        [member(0), member(1, ready=False, **CRASHING)],
        ("1", "CrashLoopBackOff", "1"),
        id="stuck-on-1",
    ),
    # Parallel pod management has no order: nobody waits.
    pytest.param(
        sts(ready=1, podManagementPolicy="Parallel"),
        [member(0), member(1, ready=False)],
        None,
        id="parallel",
    ),
    # Only the last ordinal is down: unavailable, not stuck.
    pytest.param(sts(ready=2), [member(0), member(1), member(2, ready=False)], None, id="last"),
]


@pytest.mark.parametrize("obj, pods, expected", STS_CASES)
def test_statefulset_stuck(obj, pods, expected) -> None:
    found = statefulset.check(view(stateful_sets=[obj], pods=pods))
    if expected is None:
        assert found == []
        return
    (finding,) = found
    assert finding.object == "shop/StatefulSet/db" and finding.severity == "critical"
    evidence = finding.evidence
    assert (evidence["ordinal"], evidence["reason"], evidence["waiting"]) == expected


WIRING_CASES = [
    # Healthy: its governing Service and its claim template's StorageClass exist.
    pytest.param("db", "fast", [], id="healthy"),
    pytest.param("db-headless", "fast", ["statefulset_service_missing"], id="no-service"),
    pytest.param("db", "ssd", ["statefulset_storage_class_missing"], id="no-class"),
]


@pytest.mark.parametrize("service_name, storage_class, expected", WIRING_CASES)
def test_statefulset_wiring(service_name, storage_class, expected) -> None:
    claim = {"metadata": {"name": "data"}, "spec": {"storageClassName": storage_class}}
    obj = sts(serviceName=service_name, volumeClaimTemplates=[claim])
    namespace = view(
        stateful_sets=[obj],
        pods=[member(0), member(1), member(2)],
        services=[{"metadata": {"name": "db"}, "spec": {}}],
        storage_classes=[{"metadata": {"name": "fast"}}],
    )
    assert [f.problem for f in statefulset.check(namespace)] == expected


def ds(desired: int = 3, scheduled: int = 3, available: int = 3, misscheduled: int = 0) -> dict:
    obj = workload("DaemonSet", "agent")
    obj["status"] = {
        "desiredNumberScheduled": desired,
        "currentNumberScheduled": scheduled,
        "numberAvailable": available,
        "numberReady": available,
        "numberMisscheduled": misscheduled,
    }
    return obj


DS_CASES = [
    pytest.param(ds(), [], id="healthy"),
    pytest.param(ds(misscheduled=1), ["daemonset_misscheduled"], id="misscheduled"),
    pytest.param(ds(scheduled=2, available=2), ["daemonset_unscheduled"], id="unscheduled"),
]


@pytest.mark.parametrize("obj, expected", DS_CASES)
def test_daemonset(obj, expected) -> None:
    assert [f.problem for f in daemonset.check(view(daemon_sets=[obj]))] == expected


# -- the Deployment rules on other pod-template owners --------------------------------


async def test_rules_run_on_a_statefulset_template() -> None:
    pods = (member(0, ready=False, **CRASHING),)
    snapshot = WorkloadSnapshot(sts(replicas=1, ready=0), pods=pods, kind="StatefulSet")
    diagnosis = await run_rules(snapshot)
    problems = {f.problem for f in diagnosis.findings}
    assert {"crash_loop", "replicas_unavailable"} <= problems
    assert {f.object for f in diagnosis.findings} == {"shop/StatefulSet/db"}
    # Crash loops and unavailable replicas carry no plan, whatever the owner kind.
    assert diagnosis.plans == [] and not diagnosis.rule_failures


async def test_healthy_daemonset_gives_no_rule_finding_but_unavailable_counts() -> None:
    healthy = WorkloadSnapshot(ds(), kind="DaemonSet")
    # (its template has no probes: that rule speaks, the availability one must not)
    assert "replicas_unavailable" not in {f.problem for f in (await run_rules(healthy)).findings}
    short = WorkloadSnapshot(ds(available=1), kind="DaemonSet")
    (finding,) = [
        f for f in (await run_rules(short)).findings if f.problem == "replicas_unavailable"
    ]
    assert (finding.evidence["desired"], finding.evidence["available"]) == ("3", "1")


@pytest.mark.parametrize(
    "message, problem",
    [
        ('pods "db-0" is forbidden: exceeded quota: compute, requested: cpu=2', "quota_exceeded"),
        (
            'pods "db-0" is forbidden: maximum memory usage per Container is 512Mi, '
            "but limit is 1Gi",
            "limit_range_refused",
        ),
    ],
)
async def test_pod_creation_refused_on_the_statefulset(message, problem) -> None:
    events = (event("StatefulSet", "db", "FailedCreate", message),)
    snapshot = WorkloadSnapshot(sts(replicas=1, ready=0), events=events, kind="StatefulSet")
    problems = {f.problem for f in (await run_rules(snapshot)).findings}
    assert problem in problems
    assert {"quota_exceeded", "limit_range_refused"} - {problem} - problems  # not both


def test_limit_range_evidence() -> None:
    from cluster.rules import limit_range_refused

    message = (
        'pods "web-1" is forbidden: maximum memory usage per Container is 512Mi, but limit is 1Gi'
    )
    snapshot = WorkloadSnapshot(
        workload("Deployment", "web"),
        events=(event("ReplicaSet", "web-1", "FailedCreate", message),),
    )
    (finding,) = limit_range_refused.check(snapshot)
    evidence = finding.evidence
    assert (evidence["resource"], evidence["allowed"], evidence["asked"]) == (
        "memory",
        "512Mi",
        "1Gi",
    )
