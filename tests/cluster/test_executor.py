"""The executor through the real client: dry run, apply, watch, undo, and every refusal."""

from __future__ import annotations

import json

import pytest

from cluster.errors import ClusterApiError, ClusterUnavailable, Conflict, DryRunRejected
from cluster.executor import ApplyResult, apply_plan, undo
from cluster.plans import FixPlan, PatchProbe, ScaleReplicas, Target
from cluster.plans.rollback import bare_template

DEPLOYMENT_PATH = "/apis/apps/v1/namespaces/default/deployments/nginx"


async def plan_for(access, *operations) -> FixPlan:
    return FixPlan(
        Target.of(await access.deployment("default", "nginx")), operations, "probe_failing"
    )


async def test_dry_run_then_apply_with_exact_bodies_and_the_rollout_recovers(
    live_nginx_sim, access_for
) -> None:
    access = access_for(live_nginx_sim)
    plan = await plan_for(access, PatchProbe("nginx", "readiness", path="/"))
    result = await apply_plan(plan, access, watch_timeout=10, poll_interval=0.05)
    expected = {
        "spec": {
            "template": {
                "spec": {
                    "containers": [
                        {"name": "nginx", "readinessProbe": {"httpGet": {"path": "/", "port": 80}}}
                    ]
                }
            }
        },
        "metadata": {"resourceVersion": plan.target.resource_version},
    }
    dry, real = live_nginx_sim.requests_to("PATCH")
    assert (dry.path, dry.query.get("dryRun"), dry.content_type) == (
        DEPLOYMENT_PATH,
        ["All"],
        "application/strategic-merge-patch+json",
    )
    assert real.query.get("dryRun") is None
    assert dry.body == expected and real.body == expected
    assert result.outcome == "ready" and result.plan_hash == plan.content_hash
    assert result.previous.template == plan.target.template
    live = await access.deployment("default", "nginx")
    assert live["status"]["readyReplicas"] == 2 and result.revision == 2
    assert [str(line) for line in result.diff] == [
        "spec.template.spec.containers[nginx].readinessProbe.httpGet.path: /health → /"
    ]


async def test_undo_restores_the_previous_spec(live_nginx_sim, access_for) -> None:
    access = access_for(live_nginx_sim)
    original = await access.deployment("default", "nginx")
    plan = await plan_for(access, PatchProbe("nginx", "readiness", path="/"), ScaleReplicas(3))
    result = await apply_plan(plan, access, watch_timeout=10, poll_interval=0.05)
    assert result.outcome == "ready"
    # The bot stores the result as JSON; Undo works from the stored copy.
    stored = ApplyResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert stored == result
    back = await undo(stored, access)
    assert [op.op for op in back.operations] == ["rollback_to_previous", "scale_replicas"]
    # The undo plan is a plan like any other: it is applied only when approved.
    undone = await apply_plan(back, access, watch_timeout=0.5, poll_interval=0.05)
    live = await access.deployment("default", "nginx")
    assert bare_template(live["spec"]["template"]) == bare_template(original["spec"]["template"])
    assert live["spec"]["replicas"] == 2
    # The restored spec is the broken one, so that rollout does not become ready.
    assert undone.outcome == "timeout"
    json_patches = [
        r
        for r in live_nginx_sim.requests_to("PATCH")
        if r.content_type == "application/json-patch+json"
    ]
    assert json_patches[-1].body[0]["path"] == "/spec/template"


async def test_changed_resource_version_is_a_conflict_and_nothing_is_patched(
    nginx_sim, access_for
) -> None:
    access = access_for(nginx_sim)
    plan = await plan_for(access, PatchProbe("nginx", "readiness", path="/"))
    nginx_sim.tick(1)
    nginx = nginx_sim.world.get("deployments", "default", "nginx")
    nginx_sim.world.update(
        nginx, lambda d: d["metadata"].setdefault("labels", {}).update(team="web")
    )
    with pytest.raises(Conflict):
        await apply_plan(plan, access, watch_timeout=1)
    assert nginx_sim.requests_to("PATCH") == []


async def test_dry_run_rejection_stops_before_applying(nginx_sim, access_for) -> None:
    access = access_for(nginx_sim)
    plan = await plan_for(access, PatchProbe("nginx", "readiness", path="/"))
    nginx_sim.inject_fault(r"/deployments/nginx$", method="PATCH", status=422, times=1)
    with pytest.raises(DryRunRejected) as rejected:
        await apply_plan(plan, access, watch_timeout=1)
    assert rejected.value.status == 422
    (only,) = nginx_sim.requests_to("PATCH")
    assert only.query.get("dryRun") == ["All"]
    live = await access.deployment("default", "nginx")
    assert live["metadata"]["resourceVersion"] == plan.target.resource_version


@pytest.mark.parametrize(
    "fault, error",
    [
        # The server fails the dry run: typed error, no apply request.
        pytest.param({"status": 500, "times": 1}, ClusterApiError, id="500-on-dry-run"),
        # The dry run passes, the apply fails: typed error, nothing changed.
        pytest.param({"status": 500, "times": None, "skip": 1}, ClusterApiError, id="500-on-apply"),
        # The server hangs: the client times out, typed error, nothing changed.
        pytest.param({"hang": 2.0, "times": 1}, ClusterUnavailable, id="hang"),
    ],
)
async def test_server_failures_are_typed_and_change_nothing(
    nginx_sim, access_for, fault, error
) -> None:
    access = access_for(nginx_sim, timeout=0.5)
    plan = await plan_for(access, PatchProbe("nginx", "readiness", path="/"))
    injected = nginx_sim.inject_fault(r"/deployments/nginx$", method="PATCH", **fault)
    with pytest.raises(error):
        await apply_plan(plan, access, watch_timeout=1)
    live = nginx_sim.world.get("deployments", "default", "nginx")
    assert live["metadata"]["resourceVersion"] == plan.target.resource_version
    assert (
        live["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["path"]
        == "/health"
    )
    assert injected.hits == 1  # the faulty request happened once: no retry
    applies = [r for r in nginx_sim.requests_to("PATCH") if r.query.get("dryRun") is None]
    assert len(applies) == (1 if fault.get("skip") else 0)  # apply only after a good dry run


async def test_a_fix_that_does_not_help_times_out(live_nginx_sim, access_for) -> None:
    access = access_for(live_nginx_sim)
    plan = await plan_for(access, PatchProbe("nginx", "readiness", path="/still-missing"))
    result = await apply_plan(plan, access.api_client, watch_timeout=0.5, poll_interval=0.05)
    assert result.outcome == "timeout"
    assert (
        result.previous.template["spec"]["containers"][0]["readinessProbe"]["httpGet"]["path"]
        == "/health"
    )
