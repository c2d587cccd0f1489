"""Diagnosis end to end: the demo world through the real client, rule isolation, errors."""

from __future__ import annotations

import pytest

from cluster.access import ClusterAccess
from cluster.diagnose import diagnose_deployment, diagnose_namespace, run_rules
from cluster.errors import ClusterApiError
from cluster.rules import RULES
from sandbox.cluster import KubeSimulator, demo_world
from tests.cluster.builders import snap


@pytest.fixture(scope="module")
def demo():
    with KubeSimulator(demo_world()) as sim:
        yield sim


async def test_demo_namespace_findings(demo) -> None:
    access = ClusterAccess(demo.api_client())
    results = {d.target: d for d in await diagnose_namespace(access, "default")}
    problems = {target: {f.problem for f in d.findings} for target, d in results.items()}
    assert {
        "probe_failing",
        "probe_too_aggressive",
        "requests_above_usage",
        "service_without_endpoints",
    } <= problems["default/Deployment/nginx"]
    assert "oom_killed" in problems["default/Deployment/report-worker"]
    assert {"image_pull_failed", "rollout_stuck"} <= problems["default/Deployment/checkout"]
    assert all(not d.rule_failures for d in results.values())
    # Worst first: a critical finding leads the list.
    assert next(iter(results.values())).findings[0].severity == "critical"


async def test_payments_namespace(demo) -> None:
    access = ClusterAccess(demo.api_client())
    results = {d.target: d for d in await diagnose_namespace(access, "payments")}
    assert results["payments/Deployment/payments"].healthy
    ledger = results["payments/Deployment/ledger"]
    assert [f.problem for f in ledger.findings] == ["cpu_throttled"]


async def test_diagnose_deployment_reads_logs_and_usage(demo) -> None:
    access = ClusterAccess(demo.api_client())
    diagnosis = await diagnose_deployment(access, "default", "report-worker")
    snapshot = diagnosis.snapshot
    assert snapshot is not None and snapshot.previous_logs
    assert all("Killed" in text for text in snapshot.previous_logs.values())
    (oom,) = [f for f in diagnosis.findings if f.problem == "oom_killed"]
    assert oom.plan is not None and oom.plan.target.deployment == "report-worker"


async def test_a_failing_rule_does_not_stop_the_others() -> None:
    def broken(snapshot):
        raise RuntimeError("rule bug")

    rules = {"broken": broken, **RULES}
    from tests.cluster.builders import container, deployment

    diagnosis = await run_rules(snap(deployment([container()], ready=0)), rules)
    assert [(f.rule, f.error) for f in diagnosis.rule_failures] == [
        ("broken", "RuntimeError: rule bug")
    ]
    assert {"probes_missing", "replicas_unavailable"} <= {f.problem for f in diagnosis.findings}


async def test_cluster_errors_raise_typed_errors(demo) -> None:
    access = ClusterAccess(demo.api_client())
    demo.inject_fault(r"/namespaces/payments/events$", status=503, times=1)
    with pytest.raises(ClusterApiError) as failed:
        await diagnose_deployment(access, "payments", "ledger")
    assert failed.value.call == "list_namespaced_event" and failed.value.status == 503
