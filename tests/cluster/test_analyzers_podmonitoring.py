"""Table tests for the Google Managed Prometheus PodMonitoring analyzer."""

from __future__ import annotations

import pytest

from cluster.analyzers import podmonitoring
from tests.cluster.kinds import condition, meta, pod, view, workload

PODS = [pod("orders-1", {"app": "orders", "tier": "web"})]
ORDERS = workload("Deployment", "orders", {"app": "orders", "tier": "web"})


def monitoring(selector: dict, *conds: tuple) -> dict:
    return {
        "metadata": meta("orders"),
        "spec": {"selector": selector, "endpoints": [{"port": "metrics"}]},
        "status": {"conditions": [condition("ConfigurationCreateSuccess", *c) for c in conds]},
    }


CASES = [
    pytest.param(monitoring({"matchLabels": {"app": "orders"}}, ("True", "")), [], id="healthy"),
    pytest.param(monitoring({"matchLabels": {"app": "orders"}}), [], id="no-status-yet"),
    pytest.param(monitoring({}, ("True", "")), [], id="empty-selector-selects-all"),
    pytest.param(
        monitoring({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web"]}]}),
        [],
        id="expression",
    ),
    pytest.param(
        monitoring({"matchLabels": {"app": "orders"}}, ("False", "ScrapeConfigInvalid", "bad")),
        [("podmonitoring_config_failed", "warning")],
        id="config-failed",
    ),
    pytest.param(
        monitoring({"matchLabels": {"app": "order"}}, ("True", "")),
        [("podmonitoring_selects_nothing", "warning")],
        id="typo",
    ),
    pytest.param(
        monitoring({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["db"]}]}),
        [("podmonitoring_selects_nothing", "warning")],
        id="expression-selects-nothing",
    ),
]


@pytest.mark.parametrize(("obj", "expected"), CASES)
def test_pod_monitoring(obj: dict, expected: list) -> None:
    found = podmonitoring.check(view(pod_monitorings=[obj], pods=PODS, deployments=[ORDERS]))
    assert [(f.problem, f.severity) for f in found] == expected
    assert all(f.object == "shop/PodMonitoring/orders" for f in found)


def test_the_typo_names_the_nearest_workload_and_the_difference() -> None:
    obj = monitoring({"matchLabels": {"app": "order"}})
    (found,) = podmonitoring.check(view(pod_monitorings=[obj], pods=PODS, deployments=[ORDERS]))
    assert found.evidence["selector"] == "app=order"
    assert found.evidence["workload"] == "Deployment/orders"
    assert found.evidence["difference"] == "app=order ≠ app=orders"


def test_the_failed_configuration_carries_the_operator_reason() -> None:
    obj = monitoring({"matchLabels": {"app": "orders"}}, ("False", "ScrapeConfigInvalid", "bad"))
    (found,) = podmonitoring.check(view(pod_monitorings=[obj], pods=PODS))
    assert (found.evidence["reason"], found.evidence["message"]) == ("ScrapeConfigInvalid", "bad")
