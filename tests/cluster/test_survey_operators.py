"""/diagnose of the "operators" namespace end to end: OLM (v0 and v1), GMP PodMonitorings
and the log analyzer, served by the simulator to the real kubernetes client; read-only."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from cluster.access import ClusterAccess
from cluster.analyzers import log
from cluster.survey import survey_namespace
from sandbox.cluster import KubeSimulator
from sandbox.cluster.broken import broken_kinds_world

NS = "operators"
# object → (problem, evidence that names the cause)
EXPECTED = {
    "operators/CatalogSource/community": (
        "catalogsource_not_ready",
        {"state": "TRANSIENT_FAILURE"},
    ),
    "operators/ClusterServiceVersion/etcdoperator.v0.9.4": (
        "csv_failed",
        {"reason": "TooManyOperatorGroups"},
    ),
    "operators/ClusterServiceVersion/strimzi-cluster-operator.v0.40.0": (
        "csv_not_succeeded",
        {"phase": "Installing"},
    ),
    "operators/InstallPlan/install-7k2lq": (
        "installplan_failed",
        {"reason": "InstallComponentFailed"},
    ),
    "operators/Subscription/etcd": ("subscription_failing", {"condition": "ResolutionFailed"}),
    "operators/OperatorGroup/og-a": ("operatorgroup_multiple", {"groups": "og-a, og-b"}),
    "/ClusterCatalog/operatorhubio": ("clustercatalog_not_serving", {"reason": "Retrying"}),
    "/ClusterExtension/argocd": ("clusterextension_not_installed", {"package": "argocd-operator"}),
    "operators/PodMonitoring/exporter": (
        "podmonitoring_selects_nothing",
        {"difference": "app=exportr ≠ app=exporter"},
    ),
    "operators/PodMonitoring/worker": (
        "podmonitoring_config_failed",
        {"reason": "ScrapeConfigInvalid"},
    ),
    "operators/Deployment/worker": ("log_errors", {"container": "worker"}),
}
HEALTHY = (
    "operators/CatalogSource/certified",
    "operators/ClusterServiceVersion/prometheusoperator.0.47.0",
)


@pytest.fixture(scope="module")
def sim() -> Iterator[KubeSimulator]:
    with KubeSimulator(broken_kinds_world()) as served:
        yield served


async def test_every_operator_and_monitoring_problem_is_found(sim: KubeSimulator) -> None:
    survey = await survey_namespace(ClusterAccess(sim.api_client()), NS)
    found = {(o.object, f.problem): f for o in survey.objects for f in o.findings}
    for key, (problem, evidence) in EXPECTED.items():
        finding = found.get((key, problem))
        assert finding is not None, (key, problem)
        assert evidence.items() <= finding.evidence.items(), key
    assert not {o.object for o in survey.objects} & set(HEALTHY)
    assert not survey.failures and not survey.unreadable
    for method in ("PATCH", "POST", "PUT", "DELETE"):
        assert sim.requests_to(method) == []


async def test_the_log_finding_shows_the_first_error_line_redacted(sim: KubeSimulator) -> None:
    before = len(sim.requests_to("GET", r"/log$"))
    survey = await survey_namespace(ClusterAccess(sim.api_client()), NS)
    (finding,) = [f for o in survey.objects for f in o.findings if f.problem == "log_errors"]
    line = finding.evidence["line"]
    assert "ERROR cannot reach broker kafka:9092" in line and "password=[REDACTED]" in line
    assert "hunter2" not in str(finding.evidence)
    assert finding.evidence["pods"] == "3"
    # Two tails the workload rules read already are reused; the third is read, small.
    asked = sim.requests_to("GET", rf"/namespaces/{NS}/pods/worker-[^/]+/log$")[before:]
    tails = sorted(r.query.get("tailLines", [""])[0] for r in asked)
    assert len(asked) == 3 and tails.count(str(log.TAIL_LINES)) == 1


async def test_crash_loops_keep_their_own_log_and_are_not_read_again(sim: KubeSimulator) -> None:
    before = len(sim.requests_to("GET", r"/pods/db-0/log$"))
    survey = await survey_namespace(ClusterAccess(sim.api_client()), "shop")
    assert "log_errors" not in {f.problem for o in survey.objects for f in o.findings}
    current = [
        r
        for r in sim.requests_to("GET", r"/pods/db-0/log$")[before:]
        if r.query.get("previous") != ["true"]
    ]
    assert current == []  # db-0 crash-loops: its finding shows the previous container's lines


WORKER_LOGS = rf"/namespaces/{NS}/pods/worker-[^/]+/log$"


async def test_a_failing_log_read_is_skipped(sim: KubeSimulator) -> None:
    fault = sim.inject_fault(WORKER_LOGS, status=500, times=1, skip=2)  # the analyzer's read
    survey = await survey_namespace(ClusterAccess(sim.api_client()), NS)
    (finding,) = [f for o in survey.objects for f in o.findings if f.problem == "log_errors"]
    assert finding.evidence["pods"] == "2"
    assert not survey.failures and fault.hits == 1


async def test_a_slow_log_read_stays_within_the_budget(sim: KubeSimulator) -> None:
    sim.inject_fault(WORKER_LOGS, status=500, hang=5, times=1, skip=2)
    started = time.perf_counter()
    survey = await survey_namespace(ClusterAccess(sim.api_client()), NS, log_budget=0.5)
    assert time.perf_counter() - started < 4
    (finding,) = [f for o in survey.objects for f in o.findings if f.problem == "log_errors"]
    assert finding.evidence["pods"] == "2" and not survey.failures


async def test_an_absent_crd_yields_nothing_and_says_nothing(sim: KubeSimulator) -> None:
    """OLM not installed (404) is nothing to diagnose: no card note on every /diagnose."""
    sim.inject_fault(
        r"/apis/operators.coreos.com/v1alpha1/namespaces/operators/subscriptions$",
        status=404,
        times=1,
    )
    survey = await survey_namespace(ClusterAccess(sim.api_client()), NS)
    assert survey.unreadable == ()
    assert "operators/Subscription/etcd" not in {o.object for o in survey.objects}
    assert "operators/OperatorGroup/og-a" in {o.object for o in survey.objects}


async def test_a_forbidden_custom_resource_is_named_unreadable(sim: KubeSimulator) -> None:
    sim.inject_fault(
        r"/apis/operators.coreos.com/v1alpha1/namespaces/operators/subscriptions$",
        status=403,
        times=1,
    )
    survey = await survey_namespace(ClusterAccess(sim.api_client()), NS)
    assert survey.unreadable == ("subscriptions",)
    assert "operators/Subscription/etcd" not in {o.object for o in survey.objects}


async def test_cluster_scoped_objects_on_their_own(sim: KubeSimulator) -> None:
    access = ClusterAccess(sim.api_client())
    survey = await survey_namespace(access, "default", only="/ClusterExtension/argocd")
    assert [(o.object, o.findings[0].problem) for o in survey.objects] == [
        ("/ClusterExtension/argocd", "clusterextension_not_installed")
    ]
    shop = await survey_namespace(access, "shop")  # installs nothing into shop
    assert not {o.kind for o in shop.objects} & {"ClusterExtension", "ClusterCatalog"}
