"""The webhook, security, events and ConfigMap analyzers end to end: the broken namespace
served by the simulator to the real kubernetes client, read-only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.texts.cluster import finding_title
from cluster.access import ClusterAccess
from cluster.survey import survey_namespace
from sandbox.cluster import KubeSimulator
from sandbox.cluster.broken import broken_kinds_world

# object → (problem, severity, words of the cause in its English title)
EXPECTED = {
    "/ValidatingWebhookConfiguration/shop-policy-guard": (
        "webhook_service_missing",
        "critical",
        "calls Service shop/policy-guard, which does not exist",
    ),
    "shop/DaemonSet/agent": (
        "privileged_container",
        "warning",
        "runs container(s) agent privileged",
    ),
    "shop/Job/migrate": ("service_account_missing", "critical", "ServiceAccount migrator"),
    "shop/ServiceAccount/default": (
        "default_service_account_token",
        "info",
        "use the default ServiceAccount and mount its token",
    ),
    "shop/Service/checkout": ("warning_events", "warning", "(SyncLoadBalancerFailed)"),
    "shop/ConfigMap/legacy-flags": (
        "configmap_empty",
        "info",
        "ConfigMap legacy-flags has no keys",
    ),
}


@pytest.fixture(scope="module")
def sim() -> Iterator[KubeSimulator]:
    with KubeSimulator(broken_kinds_world()) as served:
        yield served


async def test_each_new_family_is_found_by_kind_name_and_cause(sim) -> None:
    survey = await survey_namespace(ClusterAccess(sim.api_client()), "shop")
    assert not survey.failures and not survey.unreadable
    found = {(o.object, f.problem): f for o in survey.objects for f in o.findings}
    for key, (problem, severity, words) in EXPECTED.items():
        finding = found[(key, problem)]
        assert finding.severity == severity, key
        assert words in finding_title(finding, "en-US"), key
    assert ("shop/DaemonSet/agent", "host_namespace") in found
    assert ("shop/ConfigMap/legacy-flags", "configmap_unused") in found
    events = found[("shop/Service/checkout", "warning_events")]
    assert events.evidence["events"] == "3" and "quota exceeded" in events.evidence["message"]
    # Explained objects carry no event summary: the failing Job's BackOff events are its own.
    assert not [
        f
        for (key, problem), f in found.items()
        if problem == "warning_events" and key != "shop/Service/checkout"
    ]
    for method in ("PATCH", "POST", "PUT", "DELETE"):
        assert sim.requests_to(method) == []
    # The webhook configurations, ServiceAccounts and ConfigMaps were read by list calls.
    for path in (
        r"/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations$",
        r"/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations$",
        r"/api/v1/namespaces/shop/serviceaccounts$",
        r"/api/v1/namespaces/shop/configmaps$",
    ):
        assert sim.requests_to("GET", path), path


async def test_forbidden_service_accounts_are_named_not_guessed(sim) -> None:
    sim.inject_fault(r"/api/v1/namespaces/shop/serviceaccounts$", status=403, times=1)
    survey = await survey_namespace(ClusterAccess(sim.api_client()), "shop")
    assert survey.unreadable == ("service_accounts",)
    problems = {f.problem for o in survey.objects for f in o.findings}
    assert not {"service_account_missing", "default_service_account_token"} & problems
    assert "privileged_container" in problems


async def test_a_webhook_is_judged_in_its_service_namespace_only(sim) -> None:
    survey = await survey_namespace(ClusterAccess(sim.api_client()), "default")
    assert not [o for o in survey.objects if "WebhookConfiguration" in o.kind]
