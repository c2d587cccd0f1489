"""The sandbox scenario: diagnose the demo world, apply the proposed plans, re-diagnose."""

from __future__ import annotations

import pytest

from cluster.access import ClusterAccess
from cluster.diagnose import diagnose_deployment
from cluster.errors import Conflict
from cluster.executor import apply_plan
from sandbox.cluster import KubeSimulator, demo_world

FIXES = [
    # (namespace, deployment, problem whose plan we approve)
    ("default", "nginx", "probe_failing"),
    ("default", "report-worker", "oom_killed"),
    ("default", "checkout", "image_pull_failed"),
    ("payments", "ledger", "cpu_throttled"),
]


@pytest.fixture(scope="module")
def sandbox():
    with KubeSimulator(demo_world(settle_seconds=150), auto_tick=0.02) as sim:
        yield sim


@pytest.mark.parametrize("namespace, name, problem", FIXES)
async def test_approved_plan_fixes_the_problem(
    sandbox, namespace: str, name: str, problem: str
) -> None:
    access = ClusterAccess(sandbox.api_client())
    before = await diagnose_deployment(access, namespace, name)
    (finding,) = [f for f in before.findings if f.problem == problem]
    assert finding.plan is not None
    result = await apply_plan(finding.plan, access, watch_timeout=15, poll_interval=0.05)
    assert result.outcome == "ready", result.message
    after = await diagnose_deployment(access, namespace, name)
    assert problem not in {f.problem for f in after.findings}
    assert "replicas_unavailable" not in {f.problem for f in after.findings}


async def test_a_second_plan_from_the_same_diagnosis_is_stale() -> None:
    # Two findings on one deployment were proposed at the same resourceVersion: once one
    # plan has been applied, the other must be re-diagnosed, never applied blindly.
    with KubeSimulator(demo_world(settle_seconds=30), auto_tick=0.02) as sim:
        access = ClusterAccess(sim.api_client())
        diagnosis = await diagnose_deployment(access, "default", "nginx")
        plans = {f.problem: f.plan for f in diagnosis.findings if f.plan is not None}
        path, sizing = plans["probe_failing"], plans["requests_above_usage"]
        result = await apply_plan(path, access, watch_timeout=15, poll_interval=0.05)
        assert result.outcome == "ready", result.message
        with pytest.raises(Conflict):
            await apply_plan(sizing, access, watch_timeout=15, poll_interval=0.05)
        assert len(sim.requests_to("PATCH")) == 2  # the first plan's dry run and apply only
