"""Plans from JSON (as an LLM submits them), pinned to the live deployment and previewed."""

from __future__ import annotations

import pytest

from cluster.errors import PlanError
from cluster.finding import Finding
from cluster.proposal import preview_plan, propose_plan


async def test_json_operations_become_a_pinned_plan(nginx_sim, access_for) -> None:
    access = access_for(nginx_sim)
    operations = [
        {"op": "patch_probe", "container": "nginx", "kind": "readiness", "path": "/"},
        {
            "op": "patch_probe",
            "container": "nginx",
            "kind": "readiness",
            "period": 10,
            "failure_threshold": 3,
        },
    ]
    plan, rendered = await propose_plan(
        access, "default", "nginx", operations, problem="probe_failing"
    )
    live = await access.deployment("default", "nginx")
    assert plan.target.resource_version == live["metadata"]["resourceVersion"]
    assert len(rendered.diff) == 3
    assert (await preview_plan(access, plan)).patches == rendered.patches
    # Nothing was sent to the server but reads.
    assert nginx_sim.requests_to("PATCH") == []


@pytest.mark.parametrize(
    "operations, message",
    [
        ([{"op": "set_image", "container": "nginx", "image": "evil"}], "not allowed"),
        (
            [{"op": "patch_probe", "container": "web", "kind": "readiness", "path": "/"}],
            "no container 'web'",
        ),
        ([{"op": "scale_replicas", "replicas": 500}], r"within \[1, 20\]"),
        ({"op": "scale_replicas", "replicas": 2}, "must be a list"),
    ],
)
async def test_bad_json_is_refused(nginx_sim, access_for, operations, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        await propose_plan(access_for(nginx_sim), "default", "nginx", operations)


def test_finding_evidence_is_redacted() -> None:
    finding = Finding(
        "a/Deployment/b", "crash_loop", {"log_tail": "login password=hunter2 failed"}, "critical"
    )
    assert "hunter2" not in finding.evidence["log_tail"]
