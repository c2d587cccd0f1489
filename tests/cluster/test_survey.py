"""/diagnose across kinds end to end: a namespace with one broken object per family,
served by the simulator to the real kubernetes client, read-only and paged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kubernetes import client

from cluster.access import ClusterAccess
from cluster.survey import survey_namespace
from sandbox.cluster import KubeSimulator
from sandbox.cluster.broken import broken_kinds_world

# One broken object per family → the problem it must be named with.
EXPECTED = {
    "shop/Service/orders": "service_selector_mismatch",
    "shop/Ingress/storefront": "ingress_backend_missing",
    "shop/PersistentVolumeClaim/reports-data": "pvc_pending",
    "shop/StatefulSet/db": "statefulset_stuck",
    "shop/DaemonSet/agent": "image_pull_failed",
    "shop/Job/migrate": "job_failed",
    "shop/CronJob/report": "cronjob_schedule_invalid",
    "/Node/node-2": "node_not_ready",
    "/Node/node-3": "node_pressure",
    "/Node/node-4": "node_cordoned",
    "shop/HorizontalPodAutoscaler/frontend": "hpa_target_missing",
    "shop/PodDisruptionBudget/orders": "pdb_blocks_eviction",
    "shop/NetworkPolicy/deny-payments": "netpol_blocks_service",
    "shop/Deployment/web": "init_container_failing",
    "shop/Deployment/api": "volume_source_missing",
    "shop/Deployment/cache": "pod_evicted",
    "shop/Deployment/search": "limit_range_refused",
}


@pytest.fixture(scope="module")
def sim() -> Iterator[KubeSimulator]:
    with KubeSimulator(broken_kinds_world()) as served:
        yield served


async def test_every_family_is_found_without_changing_anything(sim) -> None:
    access = ClusterAccess(sim.api_client())
    survey = await survey_namespace(access, "shop")
    found = {(o.object, f.problem) for o in survey.objects for f in o.findings}
    missing = {item for item in EXPECTED.items() if item not in found}
    assert not missing
    assert not survey.failures and not survey.unreadable
    # Most severe first; the merely informational objects come last.
    levels = [o.severity for o in survey.objects]
    assert levels == sorted(levels, key=("critical", "warning", "info").index)
    for method in ("PATCH", "POST", "PUT", "DELETE"):
        assert sim.requests_to(method) == []


async def test_the_service_finding_names_the_label_that_differs(sim) -> None:
    access = ClusterAccess(sim.api_client())
    survey = await survey_namespace(access, "shop", only="shop/Service/orders")
    (entry,) = survey.objects
    (finding,) = entry.findings
    assert finding.evidence["workload"] == "Deployment/orders"
    assert finding.evidence["difference"] == "app=order ≠ app=orders"


async def test_one_object_only(sim) -> None:
    access = ClusterAccess(sim.api_client())
    survey = await survey_namespace(access, "shop", only="shop/StatefulSet/db")
    assert [o.object for o in survey.objects] == ["shop/StatefulSet/db"]
    problems = {f.problem for f in survey.objects[0].findings}
    assert {"statefulset_stuck", "crash_loop", "replicas_unavailable"} <= problems
    stuck = next(f for f in survey.objects[0].findings if f.problem == "statefulset_stuck")
    assert (stuck.evidence["ordinal"], stuck.evidence["waiting"]) == ("0", "2")


async def test_lists_are_paged(sim) -> None:
    paged = ClusterAccess(sim.api_client(), page_size=3)
    whole = ClusterAccess(sim.api_client())
    pods = await paged.pods("shop")
    assert [p["metadata"]["name"] for p in pods] == [
        p["metadata"]["name"] for p in await whole.pods("shop")
    ]
    asked = [r for r in sim.requests_to("GET", r"/namespaces/shop/pods$") if "limit" in r.query]
    assert any(r.query.get("continue") for r in asked) and len(pods) > 3
    capped = ClusterAccess(sim.api_client(), page_size=2, max_items=5)
    assert len(await capped.pods("shop")) == 5


async def test_a_kind_the_bot_may_not_read_is_reported_not_fatal(sim) -> None:
    sim.inject_fault(r"/apis/batch/v1/namespaces/shop/cronjobs$", status=403, times=1)
    survey = await survey_namespace(ClusterAccess(sim.api_client()), "shop")
    assert survey.unreadable == ("cron_jobs",)
    assert "shop/CronJob/report" not in {o.object for o in survey.objects}
    assert "shop/Job/migrate" in {o.object for o in survey.objects}


def test_simulated_controllers_through_the_client(sim) -> None:
    api = sim.api_client()
    apps, batch = client.AppsV1Api(api), client.BatchV1Api(api)
    core = client.CoreV1Api(api)
    db = apps.read_namespaced_stateful_set("db", "shop")
    assert (db.spec.replicas, db.status.ready_replicas or 0) == (3, 0)
    names = {p.metadata.name for p in core.list_namespaced_pod("shop").items}
    assert "db-0" in names and "db-1" not in names  # OrderedReady holds db-1 back
    job = batch.read_namespaced_job("migrate", "shop")
    assert [(c.type, c.reason) for c in job.status.conditions] == [
        ("Failed", "BackoffLimitExceeded")
    ]
    assert job.status.failed == 2
    claim = core.read_namespaced_persistent_volume_claim("reports-data", "shop")
    assert claim.status.phase == "Pending"
    agent = apps.read_namespaced_daemon_set("agent", "shop")
    assert agent.status.desired_number_scheduled == 4 and agent.status.number_available == 0
