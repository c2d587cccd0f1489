"""Table tests for the Gateway API analyzers: GatewayClass, Gateway, HTTPRoute."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.analyzers import gateway, gatewayclass, httproute
from tests.cluster.kinds import condition, meta, service, view

Json = dict[str, Any]
CONTROLLER = "example.net/gateway-controller"


def gateway_class(name: str = "public", *conditions: Json) -> Json:
    return {
        "metadata": {"name": name},
        "spec": {"controllerName": CONTROLLER},
        "status": {"conditions": list(conditions) or [condition("Accepted", "True", "Accepted")]},
    }


ACCEPTED = gateway_class()


def listener(name: str = "http", port: int = 80, protocol: str = "HTTP", **allowed: Any) -> Json:
    found: Json = {"name": name, "port": port, "protocol": protocol}
    if allowed:
        found["allowedRoutes"] = allowed
    return found


def gtw(
    name: str = "edge",
    cls: str = "public",
    conditions: list[Json] | None = None,
    listeners: list[Json] | None = None,
    listener_status: list[Json] | None = None,
    namespace: str = "shop",
) -> Json:
    conditions = conditions or [
        condition("Accepted", "True", "Accepted"),
        condition("Programmed", "True", "Programmed"),
    ]
    return {
        "metadata": {**meta(name), "namespace": namespace},
        "spec": {"gatewayClassName": cls, "listeners": listeners or [listener()]},
        "status": {"conditions": conditions, "listeners": listener_status or []},
    }


def route(
    parents: list[Json] | None = None,
    backends: list[Json] | None = None,
    status: list[Json] | None = None,
) -> Json:
    return {
        "metadata": meta("shop-route"),
        "spec": {
            "parentRefs": parents if parents is not None else [{"name": "edge"}],
            "rules": [{"backendRefs": backends or [{"name": "web", "port": 80}]}],
        },
        "status": {"parents": status or []},
    }


def parent_status(gateway_name: str = "edge", *conditions: Json) -> Json:
    return {
        "parentRef": {"name": gateway_name},
        "controllerName": CONTROLLER,
        "conditions": list(conditions),
    }


WEB = service("web", {"app": "web"}, port=80)

# (view, expected (problem, severity) per finding)
CLASS_CASES = [
    pytest.param(view(gateway_classes=[ACCEPTED], gateways=[gtw()]), [], id="accepted"),
    pytest.param(
        view(
            gateway_classes=[
                gateway_class(
                    "internal",
                    condition("Accepted", "False", "InvalidParameters", 'ConfigMap "lb" not found'),
                )
            ],
            gateways=[gtw(cls="internal")],
        ),
        [("gatewayclass_not_accepted", "critical")],
        id="refused",
    ),
    pytest.param(
        view(
            gateway_classes=[
                gateway_class(
                    "orphan", condition("Accepted", "Unknown", "Pending", "Waiting for controller")
                )
            ],
            gateways=[gtw(cls="orphan")],
        ),
        [("gatewayclass_not_accepted", "warning")],
        id="no-controller",
    ),
]

GATEWAY_CASES = [
    pytest.param(view(gateway_classes=[ACCEPTED], gateways=[gtw()]), [], id="healthy"),
    # A Gateway of another namespace is not this namespace's to report.
    pytest.param(
        view(gateway_classes=[ACCEPTED], gateways=[gtw(cls="gone", namespace="infra")]),
        [],
        id="other-namespace",
    ),
    pytest.param(
        view(gateway_classes=[ACCEPTED], gateways=[gtw(cls="gone")]),
        [("gateway_class_missing", "critical")],
        id="class-missing",
    ),
    # Classes the bot may not read: nothing can be said about a missing class.
    pytest.param(
        view(gateways=[gtw(cls="gone")], unreadable=("gateway_classes",)),
        [],
        id="classes-unreadable",
    ),
    pytest.param(
        view(
            gateway_classes=[ACCEPTED],
            gateways=[
                gtw(conditions=[condition("Accepted", "False", "UnsupportedAddress", "no IPv6")])
            ],
        ),
        [("gateway_not_accepted", "critical")],
        id="refused",
    ),
    pytest.param(
        view(
            gateway_classes=[ACCEPTED],
            gateways=[
                gtw(
                    conditions=[
                        condition("Accepted", "True", "Accepted"),
                        condition("Programmed", "False", "AddressNotAssigned", "no free IP"),
                    ]
                )
            ],
        ),
        [("gateway_not_programmed", "critical")],
        id="not-programmed",
    ),
    pytest.param(
        view(
            gateway_classes=[ACCEPTED],
            gateways=[
                gtw(
                    listener_status=[
                        {
                            "name": "https",
                            "conditions": [
                                condition("Accepted", "True", "Accepted"),
                                condition(
                                    "ResolvedRefs",
                                    "False",
                                    "InvalidCertificateRef",
                                    'Secret "tls" not found',
                                ),
                            ],
                        },
                        {"name": "http", "conditions": [condition("Accepted", "True")]},
                    ]
                )
            ],
        ),
        [("gateway_listener_invalid", "critical")],
        id="listener-cert",
    ),
]

ROUTE_CASES = [
    pytest.param(view(gateways=[gtw()], http_routes=[route()], services=[WEB]), [], id="healthy"),
    # Attached to a Gateway of another namespace that admits every namespace.
    pytest.param(
        view(
            gateways=[gtw(namespace="infra", listeners=[listener(namespaces={"from": "All"})])],
            http_routes=[route(parents=[{"name": "edge", "namespace": "infra"}])],
            services=[WEB],
        ),
        [],
        id="cross-namespace-allowed",
    ),
    pytest.param(
        view(gateways=[gtw()], http_routes=[route(parents=[{"name": "gone"}])], services=[WEB]),
        [("httproute_gateway_missing", "critical")],
        id="gateway-missing",
    ),
    # From=Same (the default) on a Gateway of another namespace.
    pytest.param(
        view(
            gateways=[gtw(namespace="infra")],
            http_routes=[route(parents=[{"name": "edge", "namespace": "infra"}])],
            services=[WEB],
        ),
        [("httproute_not_allowed", "critical")],
        id="not-allowed",
    ),
    # A mesh parent (a Service) is not a Gateway: left to the controller.
    pytest.param(
        view(
            http_routes=[route(parents=[{"kind": "Service", "group": "", "name": "web"}])],
            services=[WEB],
        ),  # fmt: skip
        [],
        id="mesh-parent",
    ),
    pytest.param(
        view(gateways=[gtw()], http_routes=[route(backends=[{"name": "gone", "port": 80}])]),
        [("httproute_backend_missing", "critical")],
        id="backend-missing",
    ),
    pytest.param(
        view(
            gateways=[gtw()],
            http_routes=[route(backends=[{"name": "web", "port": 8080}])],
            services=[WEB],
        ),
        [("httproute_backend_port", "critical")],
        id="backend-port",
    ),
    pytest.param(
        view(
            gateways=[gtw()],
            http_routes=[
                route(
                    status=[
                        parent_status(
                            "edge",
                            condition("Accepted", "False", "NoMatchingListenerHostname", "none"),
                        )
                    ]
                )
            ],
            services=[WEB],
        ),
        [("httproute_not_accepted", "critical")],
        id="not-accepted",
    ),
    # A backend in another namespace without a ReferenceGrant: the controller says so.
    pytest.param(
        view(
            gateways=[gtw()],
            http_routes=[
                route(
                    backends=[{"name": "api", "namespace": "backend", "port": 80}],
                    status=[
                        parent_status(
                            "edge",
                            condition("Accepted", "True"),
                            condition("ResolvedRefs", "False", "RefNotPermitted", "no grant"),
                        )
                    ],
                )
            ],
        ),
        [("httproute_refs_unresolved", "critical")],
        id="refs-unresolved",
    ),
    # ResolvedRefs=False explained by our own backend finding is not repeated.
    pytest.param(
        view(
            gateways=[gtw()],
            http_routes=[
                route(
                    backends=[{"name": "gone", "port": 80}],
                    status=[
                        parent_status(
                            "edge", condition("ResolvedRefs", "False", "BackendNotFound", "gone")
                        )
                    ],
                )
            ],
        ),
        [("httproute_backend_missing", "critical")],
        id="refs-explained",
    ),
]
VIEWS = [p.values[0] for p in CLASS_CASES + GATEWAY_CASES + ROUTE_CASES]


def _found(findings: list) -> list[tuple[str, str]]:
    return [(f.problem, f.severity) for f in findings]


@pytest.mark.parametrize("namespace, expected", CLASS_CASES)
def test_gatewayclass(namespace, expected) -> None:
    found = gatewayclass.check(namespace)
    assert _found(found) == expected
    assert all(f.object.startswith("/GatewayClass/") for f in found)


@pytest.mark.parametrize("namespace, expected", GATEWAY_CASES)
def test_gateway(namespace, expected) -> None:
    found = gateway.check(namespace)
    assert _found(found) == expected
    assert all(f.object == "shop/Gateway/edge" for f in found)


@pytest.mark.parametrize("namespace, expected", ROUTE_CASES)
def test_httproute(namespace, expected) -> None:
    found = httproute.check(namespace)
    assert _found(found) == expected
    assert all(f.object == "shop/HTTPRoute/shop-route" for f in found)


def test_route_evidence_names_the_gateway_and_ports() -> None:
    (missing,) = httproute.check(view(http_routes=[route(parents=[{"name": "gone"}])],
                                      services=[WEB]))  # fmt: skip
    assert missing.evidence["gateway"] == "shop/gone"
    (port,) = httproute.check(
        view(
            gateways=[gtw()],
            http_routes=[route(backends=[{"name": "web", "port": 8080}])],
            services=[WEB],
        )  # fmt: skip
    )
    assert (port.evidence["port"], port.evidence["ports"]) == ("8080", "80")


def test_a_class_no_gateway_of_the_namespace_uses_only_when_every_one_is_asked_for() -> None:
    refused = gateway_class("internal", condition("Accepted", "False", "InvalidParameters"))
    other = gtw(cls="internal", namespace="infra")
    assert gatewayclass.check(view(gateway_classes=[refused], gateways=[gtw(), other])) == []
    found = gatewayclass.check(view(gateway_classes=[refused]), every=True)
    assert _found(found) == [("gatewayclass_not_accepted", "critical")]


def test_gateway_with_a_missing_class_is_not_also_reported_pending() -> None:
    pending = [condition("Accepted", "Unknown", "Pending", "Waiting for controller")]
    found = gateway.check(view(gateway_classes=[ACCEPTED], gateways=[gtw("e", "x", pending)]))
    assert _found(found) == [("gateway_class_missing", "critical")]


def test_a_listener_for_tcp_routes_does_not_admit_http_routes() -> None:
    tcp = gtw(listeners=[listener("tcp", 5432, "TCP", namespaces={"from": "All"})])
    found = httproute.check(view(gateways=[tcp], http_routes=[route()], services=[WEB]))
    assert _found(found) == [("httproute_not_allowed", "critical")]
