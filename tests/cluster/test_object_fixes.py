"""Plans beyond workloads end to end through the real kubernetes client against the
simulator: propose (the analyzer's plan) → apply (dry run first) → verified → Undo →
applied, asserting on the simulator's objects; and no plan where the fix is not obvious."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from cluster.errors import Conflict, PlanError
from cluster.executor import ApplyResult, apply_plan, undo
from cluster.object_fix import propose_object_fix
from cluster.plans import RERUN_OF, FixPlan
from sandbox.cluster import KubeSimulator, World, step
from sandbox.cluster.broken import BROKEN_IMAGES, broken_kinds_world
from sandbox.cluster.manifests import container, deployment, node, service
from sandbox.cluster.nodes import cordon

NS = "shop"
WATCH = {"watch_timeout": 5.0, "poll_interval": 0.05}


def _job_spec(image: str, backoff: int = 1) -> dict[str, Any]:
    return {
        "backoffLimit": backoff,
        "template": {
            "spec": {
                "restartPolicy": "Never",
                "containers": [container("main", image, port=None)],
            }
        },
    }


def small_world() -> World:
    """One Ready node; a suspended CronJob; a Job failed by its backoffLimit; a Service
    whose selector has a typo next to Deployment orders; node-2 cordoned and alone able
    to host ``big`` (which waits)."""
    world = World(images=dict(BROKEN_IMAGES))
    world.add(node("node-1", cpu="2", memory="4Gi"))
    world.add(node("node-2", cpu="16", memory="32Gi", ip="10.0.0.12"))
    cordon(world, "node-2")
    web = container("app", "shop/web:1", port=8080, requests={"cpu": "50m", "memory": "64Mi"})
    big = container("app", "shop/web:1", port=8080, requests={"cpu": "8", "memory": "1Gi"})
    for obj in (
        deployment(NS, "orders", [web], replicas=2),
        service(NS, "orders", {"app": "order"}, 80, 8080),
        deployment(NS, "big", [big]),
        {
            "kind": "CronJob",
            "apiVersion": "batch/v1",
            "metadata": {"name": "report", "namespace": NS},
            "spec": {
                "schedule": "*/5 * * * *",
                "suspend": True,
                "jobTemplate": {"spec": _job_spec("shop/web:1")},
            },
        },
        {
            "kind": "Job",
            "apiVersion": "batch/v1",
            "metadata": {"name": "migrate", "namespace": NS, "labels": {"team": "db"}},
            "spec": _job_spec("shop/migrate:1"),
        },
    ):
        world.add(obj)
    for _ in range(20):
        step(world)
    return world


@pytest.fixture
def sim() -> Iterator[KubeSimulator]:
    with KubeSimulator(small_world(), auto_tick=0.02) as sim:
        yield sim


def stored(result: ApplyResult) -> ApplyResult:
    """Undo works from the copy the bot stores."""
    copy = ApplyResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert copy == result
    return copy


def plan_round_trip(plan: FixPlan) -> FixPlan:
    """The approval path: stored as JSON with its hash, parsed back trusted."""
    again = FixPlan.from_dict(json.loads(json.dumps(plan.to_dict())), trusted=True)
    assert again.content_hash == plan.content_hash
    return again


def mutations(sim: KubeSimulator) -> list[tuple[str, str, bool]]:
    return [
        (r.method, r.path, r.query.get("dryRun") == ["All"])
        for r in sim.requests
        if r.method in ("PATCH", "POST", "DELETE") and "selfsubject" not in r.path
    ]


async def test_resume_a_suspended_cron_job_and_undo(sim, access_for) -> None:
    access = access_for(sim)
    fix = await propose_object_fix(access, NS, "CronJob", "report")
    assert [f.problem for f in fix.diagnosis.findings] == ["cronjob_suspended"]
    assert fix.plan is not None and fix.rendered is not None
    assert [str(line) for line in fix.rendered.diff] == ["spec.suspend: true → false"]
    result = await apply_plan(plan_round_trip(fix.plan), access, **WATCH)
    assert (result.outcome, result.kind, result.revision) == ("ready", "CronJob", 0)
    path = f"/apis/batch/v1/namespaces/{NS}/cronjobs/report"
    assert mutations(sim) == [("PATCH", path, True), ("PATCH", path, False)]
    assert sim.world.get("cronjobs", NS, "report")["spec"]["suspend"] is False
    back = await undo(stored(result), access)
    assert [op.op for op in back.operations] == ["suspend_cronjob"]
    undone = await apply_plan(plan_round_trip(back), access, **WATCH)
    assert undone.outcome == "ready"
    assert sim.world.get("cronjobs", NS, "report")["spec"]["suspend"] is True


async def test_rerun_a_failed_job_and_undo_deletes_the_rerun(sim, access_for) -> None:
    access = access_for(sim)
    fix = await propose_object_fix(access, NS, "Job", "migrate")
    assert fix.plan is not None and fix.rendered is not None
    new_name = fix.plan.operations[0].to_dict()["name"]
    assert new_name.startswith("migrate-rerun-")
    assert str(fix.rendered.diff[0]) == f"metadata.name: ∅ → {new_name}"
    result = await apply_plan(plan_round_trip(fix.plan), access, **WATCH)
    assert result.outcome == "ready", result.message
    created = sim.world.get("jobs", NS, new_name)
    failed = sim.world.get("jobs", NS, "migrate")
    meta = created["metadata"]
    assert "ownerReferences" not in meta and meta["labels"] == {"team": "db", RERUN_OF: "migrate"}
    # The API server set its own selector; nothing of the failed Job's uid came along.
    assert created["spec"]["selector"] != failed["spec"].get("selector")
    assert failed["metadata"]["uid"] not in json.dumps(created)
    assert failed["status"]["conditions"][0]["reason"] == "BackoffLimitExceeded"  # untouched
    methods = [(m, dry) for m, _, dry in mutations(sim)]
    assert methods == [("POST", True), ("POST", False)]
    await _until(lambda: _pods_of(sim, created))  # the Job controller runs it
    # Proposing again offers nothing: the bot already re-ran it.
    again = await propose_object_fix(access, NS, "Job", "migrate")
    assert again.plan is None
    back = await undo(stored(result), access)
    assert [op.to_dict() for op in back.operations] == [
        {"op": "delete_rerun_job", "rerun_of": "migrate"}
    ]
    assert back.target.deployment == new_name
    undone = await apply_plan(plan_round_trip(back), access, **WATCH)
    assert undone.outcome == "ready"
    assert sim.world.get("jobs", NS, new_name) is None
    assert not _pods_of(sim, created)  # deleted with propagationPolicy Background
    assert sim.world.get("jobs", NS, "migrate") is not None
    delete = [r for r in sim.requests_to("DELETE") if r.query.get("dryRun") is None][0]
    assert delete.body["propagationPolicy"] == "Background"
    with pytest.raises(PlanError, match="cannot be brought back"):
        await undo(stored(undone), access)


async def test_uncordon_a_node_pods_wait_for_and_undo(sim, access_for) -> None:
    access = access_for(sim)
    fix = await propose_object_fix(access, NS, "Node", "node-2")
    assert fix.plan is not None and fix.rendered is not None
    assert fix.plan.target.namespace == "" and fix.plan.target.label == "Node/node-2"
    assert [str(line) for line in fix.rendered.diff] == ["spec.unschedulable: true → false"]
    result = await apply_plan(plan_round_trip(fix.plan), access, **WATCH)
    assert result.outcome == "ready"
    assert mutations(sim)[-1] == ("PATCH", "/api/v1/nodes/node-2", False)
    assert not sim.world.get("nodes", "", "node-2")["spec"]["unschedulable"]

    def big_runs() -> bool:
        pods = [p for p in sim.world.items("pods", NS) if p["metadata"]["name"].startswith("big")]
        runs = [sim.world.runtime.get(p["metadata"]["uid"]) for p in pods]
        return any(run is not None and run.node == "node-2" for run in runs)

    await _until(big_runs)  # the waiting pod is scheduled on the uncordoned node
    back = await undo(stored(result), access)
    assert [op.op for op in back.operations] == ["cordon_node"]
    assert (await apply_plan(plan_round_trip(back), access, **WATCH)).outcome == "ready"
    assert sim.world.get("nodes", "", "node-2")["spec"]["unschedulable"] is True


async def test_fix_a_service_selector_then_undo_restores_it(sim, access_for) -> None:
    access = access_for(sim)
    fix = await propose_object_fix(access, NS, "Service", "orders")
    assert fix.plan is not None and fix.rendered is not None
    assert [str(line) for line in fix.rendered.diff] == ["spec.selector.app: order → orders"]
    result = await apply_plan(plan_round_trip(fix.plan), access, **WATCH)
    assert result.outcome == "ready"
    patch = [r for r in sim.requests_to("PATCH") if r.query.get("dryRun") is None][0]
    assert patch.body["spec"] == {"selector": {"app": "orders"}}
    assert sim.world.get("services", NS, "orders")["spec"]["selector"] == {"app": "orders"}
    subsets = sim.world.get("endpoints", NS, "orders")["subsets"]
    assert len(subsets[0]["addresses"]) == 2
    back = await undo(stored(result), access)
    assert [op.to_dict() for op in back.operations] == [
        {"op": "set_service_selector", "selector": {"app": "order"}}
    ]
    undone = await apply_plan(back, access, watch_timeout=0.3, poll_interval=0.05)
    # The restored selector is the broken one: its endpoints stay empty.
    assert undone.outcome == "timeout" and "0 ready" in undone.message
    assert sim.world.get("services", NS, "orders")["spec"]["selector"] == {"app": "order"}


async def test_a_changed_object_is_a_conflict_and_nothing_is_sent(sim, access_for) -> None:
    access = access_for(sim)
    fix = await propose_object_fix(access, NS, "CronJob", "report")
    assert fix.plan is not None
    with sim.world.lock:
        cron_job = sim.world.get("cronjobs", NS, "report")
        sim.world.update(cron_job, lambda c: c["spec"].update(schedule="*/10 * * * *"))
    with pytest.raises(Conflict):
        await apply_plan(fix.plan, access, **WATCH)
    assert mutations(sim) == []


async def test_the_dry_run_refusal_stops_before_any_change(sim, access_for) -> None:
    access = access_for(sim)
    fix = await propose_object_fix(access, NS, "Service", "orders")
    assert fix.plan is not None
    sim.inject_fault("/services/orders", method="PATCH", status=403)
    with pytest.raises(Exception, match="403"):
        await apply_plan(fix.plan, access, **WATCH)
    assert [dry for _, _, dry in mutations(sim)] == [True]
    assert sim.world.get("services", NS, "orders")["spec"]["selector"] == {"app": "order"}


async def test_no_plan_where_the_fix_is_not_obvious(access_for) -> None:
    # The broken namespace: CronJob report has an invalid schedule (not suspended), node-4
    # is cordoned but no pod waits for it, node-2 is NotReady: advice only. Its Service
    # typo and its Job failed by backoffLimit do get plans.
    with KubeSimulator(broken_kinds_world(settle_seconds=20)) as sim:
        access = access_for(sim)
        for kind, name in (("CronJob", "report"), ("Node", "node-4"), ("Node", "node-2")):
            fix = await propose_object_fix(access, NS, kind, name)
            assert fix.diagnosis.findings, (kind, name)
            assert fix.plan is None, (kind, name)
        for kind, name in (("Service", "orders"), ("Job", "migrate")):
            assert (await propose_object_fix(access, NS, kind, name)).plan is not None
        assert mutations(sim) == []


async def test_a_selector_near_two_workloads_gets_no_plan(access_for) -> None:
    world = World(images=dict(BROKEN_IMAGES))
    world.add(node("node-1"))
    app = container("app", "shop/web:1", port=8080)
    for obj in (
        deployment(NS, "orders", [app]),
        deployment(NS, "orderz", [app]),
        service(NS, "orders", {"app": "order"}, 80, 8080),
    ):
        world.add(obj)
    step(world)
    with KubeSimulator(world) as sim:
        fix = await propose_object_fix(access_for(sim), NS, "Service", "orders")
        assert [f.problem for f in fix.diagnosis.findings] == ["service_selector_mismatch"]
        assert fix.plan is None


def _pods_of(sim: KubeSimulator, job: dict[str, Any]) -> list[dict[str, Any]]:
    uid = job["metadata"]["uid"]
    return [
        p
        for p in sim.world.items("pods", NS)
        if any(r.get("uid") == uid for r in p["metadata"].get("ownerReferences") or [])
    ]


async def _until(condition: Any, timeout: float = 5.0) -> None:
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)
