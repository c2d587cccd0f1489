"""Table tests for the HorizontalPodAutoscaler and PodDisruptionBudget analyzers."""

from __future__ import annotations

import pytest

from cluster.analyzers import hpa, pdb
from tests.cluster.kinds import condition, meta, view, workload

WEB = workload("Deployment", "web")


def autoscaler(target: str = "web", current: int = 3, maximum: int = 10, **conds: tuple) -> dict:
    return {
        "metadata": meta("web"),
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": target, "apiVersion": "apps/v1"},
            "minReplicas": 1,
            "maxReplicas": maximum,
        },
        "status": {
            "currentReplicas": current,
            "desiredReplicas": current,
            "conditions": [condition(kind, *value) for kind, value in conds.items()],
        },
    }


HPA_CASES = [
    pytest.param(autoscaler(ScalingActive=("True", "ValidMetricFound")), [], id="healthy"),
    pytest.param(autoscaler(target="wbe"), [("hpa_target_missing", "critical")], id="target"),
    pytest.param(
        autoscaler(ScalingActive=("False", "FailedGetResourceMetric", "no metrics")),
        [("hpa_metrics_unavailable", "warning")],
        id="metrics",
    ),
    pytest.param(
        autoscaler(current=10, ScalingLimited=("True", "TooManyReplicas")),
        [("hpa_at_max", "warning")],
        id="pinned",
    ),
]


@pytest.mark.parametrize("obj, expected", HPA_CASES)
def test_hpa(obj, expected) -> None:
    found = hpa.check(view(hpas=[obj], deployments=[WEB]))
    assert [(f.problem, f.severity) for f in found] == expected


def budget(expected: int, healthy: int, desired: int, allowed: int, **spec: object) -> dict:
    status = {"expectedPods": expected, "currentHealthy": healthy, "desiredHealthy": desired}
    return {
        "metadata": meta("web"),
        "spec": spec,
        "status": {**status, "disruptionsAllowed": allowed},
    }


PDB_CASES = [
    # Healthy: one of three may go.
    pytest.param(budget(3, 3, 2, 1, minAvailable=2), False, id="healthy"),
    # minAvailable equals the replica count: no eviction ever allowed.
    pytest.param(budget(3, 3, 3, 0, minAvailable=3), True, id="min-all"),
    pytest.param(budget(2, 2, 2, 0, maxUnavailable=0), True, id="max-zero"),
    # Unhealthy pods legitimately use up the budget: not the budget's fault.
    pytest.param(budget(3, 2, 2, 0, minAvailable=2), False, id="unhealthy"),
    pytest.param(budget(0, 0, 0, 0, minAvailable=1), False, id="no-pods"),
]


@pytest.mark.parametrize("obj, blocks", PDB_CASES)
def test_pdb(obj, blocks) -> None:
    found = pdb.check(view(budgets=[obj]))
    assert [f.problem for f in found] == (["pdb_blocks_eviction"] if blocks else [])
