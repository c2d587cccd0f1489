"""Table tests for the Ingress analyzer."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.analyzers import ingress
from tests.cluster.kinds import meta, service, view

SERVICES = [service("web", {"app": "web"}, port=80)]
CLASSES = [{"metadata": {"name": "nginx"}}]


def ing(backend: str = "web", port: Any = 80, cls: str | None = "nginx", tls: str = "") -> dict:
    port_ref = {"number": port} if isinstance(port, int) else {"name": port}
    spec: dict[str, Any] = {
        "rules": [
            {
                "host": "shop.example.com",
                "http": {
                    "paths": [
                        {"path": "/", "backend": {"service": {"name": backend, "port": port_ref}}}
                    ]
                },
            }
        ]
    }
    if cls:
        spec["ingressClassName"] = cls
    if tls:
        spec["tls"] = [{"hosts": ["shop.example.com"], "secretName": tls}]
    return {"metadata": meta("shop"), "spec": spec}


CASES = [
    # Healthy: class, Service, port and TLS Secret all exist.
    pytest.param(ing(tls="shop-tls"), frozenset({"shop-tls"}), [], id="healthy"),
    pytest.param(ing(backend="wbe"), frozenset(), ["ingress_backend_missing"], id="no-service"),
    pytest.param(ing(port=8080), frozenset(), ["ingress_backend_port_missing"], id="no-port"),
    pytest.param(ing(port="grpc"), frozenset(), ["ingress_backend_port_missing"], id="named"),
    pytest.param(ing(tls="gone"), frozenset(), ["ingress_tls_secret_missing"], id="no-tls"),
    # Secrets not readable (RBAC): a missing TLS Secret cannot be told, so nothing is said.
    pytest.param(ing(tls="gone"), None, [], id="secrets-unreadable"),
    pytest.param(ing(cls="traefik"), frozenset(), ["ingress_class_missing"], id="no-class"),
]


@pytest.mark.parametrize("obj, secrets, expected", CASES)
def test_ingress(obj, secrets, expected) -> None:
    namespace = view(
        ingresses=[obj], services=SERVICES, ingress_classes=CLASSES, secret_names=secrets
    )
    found = ingress.check(namespace)
    assert [f.problem for f in found] == expected
    assert all(f.object == "shop/Ingress/shop" and f.severity == "critical" for f in found)
