"""Table tests for the Service analyzer."""

from __future__ import annotations

import pytest

from cluster.analyzers import service
from tests.cluster.kinds import endpoints, pod, view, workload
from tests.cluster.kinds import service as svc

WEB = workload("Deployment", "orders", {"app": "orders", "tier": "web"})
PORTS = [{"containerPort": 8080, "name": "http"}]
POD = pod("orders-1", {"app": "orders", "tier": "web"}, ports=PORTS)

CASES = [
    # Healthy: the selector picks a ready pod that listens on the targetPort.
    pytest.param(
        view(
            deployments=[WEB],
            pods=[POD],
            services=[svc("orders", {"app": "orders"})],
            endpoints=[endpoints("orders")],
        ),
        [],
        id="healthy",
    ),
    # A named targetPort the container declares is exposed too.
    pytest.param(
        view(
            deployments=[WEB],
            pods=[POD],
            services=[svc("orders", {"app": "orders"}, 80, "http")],
            endpoints=[endpoints("orders")],
        ),
        [],
        id="named-port",
    ),
    # A typo in the selector: no pod carries app=order.
    pytest.param(
        view(deployments=[WEB], pods=[POD], services=[svc("orders", {"app": "order"})]),
        [("service_selector_mismatch", "critical")],
        id="selector-typo",
    ),
    # Pods are there but none is ready.
    pytest.param(
        view(
            deployments=[WEB],
            pods=[POD],
            services=[svc("orders", {"app": "orders"})],
            endpoints=[endpoints("orders", ready=0, not_ready=1)],
        ),
        [("service_without_endpoints", "critical")],
        id="no-ready-endpoint",
    ),
    # targetPort 9090 is not a port any selected container exposes.
    pytest.param(
        view(
            deployments=[WEB],
            pods=[POD],
            services=[svc("orders", {"app": "orders"}, 80, 9090)],
            endpoints=[endpoints("orders")],
        ),
        [("service_port_unexposed", "critical")],
        id="target-port",
    ),
    # A Service without a selector (endpoints made by hand) is never judged.
    pytest.param(view(services=[svc("external", {})]), [], id="no-selector"),
]


@pytest.mark.parametrize("namespace, expected", CASES)
def test_service(namespace, expected) -> None:
    found = service.check(namespace)
    assert [(f.problem, f.severity) for f in found] == expected
    assert all(f.object == "shop/Service/orders" for f in found)


def test_selector_mismatch_names_the_label_that_differs() -> None:
    other = workload("Deployment", "billing", {"app": "billing"})
    namespace = view(
        deployments=[WEB, other],
        pods=[POD],
        services=[svc("orders", {"app": "order", "tier": "web"})],
    )
    (finding,) = service.check(namespace)
    assert finding.evidence["workload"] == "Deployment/orders"
    assert finding.evidence["difference"] == "app=order ≠ app=orders"
