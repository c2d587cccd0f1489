"""Table tests for rollout rules: stuck rollouts, unavailable replicas, empty services."""

from __future__ import annotations

import pytest

from cluster.plans import RollbackToPrevious
from cluster.rules import replicas_unavailable, rollout_stuck, service_endpoints
from tests.cluster.builders import deployment, replica_set, snap

DEADLINE = {
    "type": "Progressing",
    "status": "False",
    "reason": "ProgressDeadlineExceeded",
    "message": 'ReplicaSet "web-rev3" has timed out progressing.',
}
PROGRESSING = {"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"}
TEMPLATE = deployment()["spec"]["template"]
HISTORY = [replica_set(1, TEMPLATE), replica_set(2, TEMPLATE), replica_set(3, TEMPLATE)]

STUCK_CASES = [
    # Deadline exceeded at revision 3 with 1 and 2 kept: roll back to 2 (the newest older).
    pytest.param(
        snap(deployment(revision=3, conditions=[DEADLINE]), replica_sets=HISTORY),
        2,
        id="rollback-to-2",
    ),
    # Deadline exceeded on the very first revision: nothing to roll back to.
    pytest.param(
        snap(deployment(revision=1, conditions=[DEADLINE]), replica_sets=HISTORY[:1]),
        None,
        id="first",
    ),
]


@pytest.mark.parametrize("snapshot, revision", STUCK_CASES)
def test_rollout_stuck(snapshot, revision) -> None:
    (finding,) = rollout_stuck.check(snapshot)
    assert finding.problem == "rollout_stuck" and finding.severity == "critical"
    if revision is None:
        assert finding.plan is None
    else:
        assert finding.plan is not None and finding.plan.operations == (
            RollbackToPrevious(revision),
        )


def test_rollout_still_progressing_is_not_stuck() -> None:
    # Progressing normally (within the deadline): nothing.
    assert (
        rollout_stuck.check(
            snap(deployment(revision=3, conditions=[PROGRESSING]), replica_sets=HISTORY)
        )
        == []
    )


@pytest.mark.parametrize(
    "replicas, ready, severity",
    [
        pytest.param(3, 0, "critical", id="none-available"),  # nothing serves
        pytest.param(3, 2, "warning", id="one-missing"),  # degraded
        pytest.param(3, 3, None, id="all-available"),  # healthy
        pytest.param(0, 0, None, id="scaled-to-zero"),  # asked for none: fine
    ],
)
def test_replicas_unavailable(replicas: int, ready: int, severity: str | None) -> None:
    findings = replicas_unavailable.check(snap(deployment(replicas=replicas, ready=ready)))
    assert [f.severity for f in findings] == ([severity] if severity else [])


def service(name: str, selector: dict[str, str]) -> dict[str, object]:
    return {"metadata": {"name": name, "namespace": "shop"}, "spec": {"selector": selector}}


def endpoints(name: str, ready: int, not_ready: int) -> dict[str, object]:
    subset: dict[str, object] = {}
    if ready:
        subset["addresses"] = [{"ip": f"10.0.0.{i}"} for i in range(ready)]
    if not_ready:
        subset["notReadyAddresses"] = [{"ip": f"10.0.1.{i}"} for i in range(not_ready)]
    return {"metadata": {"name": name}, "subsets": [subset] if subset else []}


SERVICE_CASES = [
    # Selects our pods, both addresses not ready: its traffic fails.
    pytest.param(
        [service("web", {"app": "web"})],
        [endpoints("web", 0, 2)],
        ["shop/Service/web"],
        id="not-ready",
    ),
    # Selects our pods but no Endpoints object at all yet.
    pytest.param([service("web", {"app": "web"})], [], ["shop/Service/web"], id="no-endpoints"),
    # One ready address is enough.
    pytest.param([service("web", {"app": "web"})], [endpoints("web", 1, 1)], [], id="one-ready"),
    # A service selecting other pods is not ours even if it is empty.
    pytest.param(
        [service("api", {"app": "api"})], [endpoints("api", 0, 0)], [], id="other-service"
    ),
    # A service without a selector (manual endpoints) is not judged.
    pytest.param([service("ext", {})], [], [], id="no-selector"),
]


@pytest.mark.parametrize("services, eps, objects", SERVICE_CASES)
def test_service_without_endpoints(services, eps, objects) -> None:
    findings = service_endpoints.check(snap(services=services, endpoints=eps))
    assert [f.object for f in findings] == objects
