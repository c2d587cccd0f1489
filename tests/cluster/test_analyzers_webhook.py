"""Table tests for the admission webhook analyzer (Validating/MutatingWebhookConfiguration)."""

from __future__ import annotations

import pytest

from cluster.analyzers import webhook
from tests.cluster.kinds import endpoints, view
from tests.cluster.kinds import service as svc

V, M = "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"


def config(name: str, *hooks: dict) -> dict:
    return {"metadata": {"name": name, "uid": f"uid-{name}"}, "webhooks": list(hooks)}


def hook(name: str, service: str = "guard", namespace: str = "shop", **extra: object) -> dict:
    ref = {"name": service, "namespace": namespace, "path": "/validate"}
    if "port" in extra:
        ref["port"] = extra.pop("port")
    return {"name": name, "clientConfig": {"service": ref}, "sideEffects": "None", **extra}


GUARD = svc("guard", {"app": "guard"}, 443, 8443)
READY, NONE_READY = endpoints("guard"), endpoints("guard", ready=0, not_ready=2)

CASES = [
    # Healthy: the Service exists, exposes 443 and has a ready endpoint.
    pytest.param(
        view(
            validating_webhooks=[config("guard", hook("v.guard.io"))],
            services=[GUARD],
            endpoints=[READY],
        ),
        [],
        id="healthy",
    ),
    # A webhook served from another namespace is judged there, not here.
    pytest.param(
        view(validating_webhooks=[config("guard", hook("v.guard.io", namespace="infra"))]),
        [],
        id="other-namespace",
    ),
    # Called by URL: no Service to judge.
    pytest.param(
        view(
            mutating_webhooks=[
                config("ext", {"name": "m.ext.io", "clientConfig": {"url": "https://x"}})
            ]
        ),
        [],
        id="url",
    ),
    # The Service is gone; failurePolicy defaults to Fail: every matching request refused.
    pytest.param(
        view(validating_webhooks=[config("guard", hook("v.guard.io"), hook("v2.guard.io"))]),
        [(f"/{V}/guard", "webhook_service_missing", "critical")],
        id="missing-fail",
    ),
    # failurePolicy Ignore: requests pass unchecked, a warning.
    pytest.param(
        view(
            mutating_webhooks=[config("inject", hook("m.inject.io", failurePolicy="Ignore"))],
            services=[GUARD],
            endpoints=[NONE_READY],
        ),
        [(f"/{M}/inject", "webhook_service_unavailable", "warning")],
        id="no-endpoint-ignore",
    ),
    # Endpoints object absent altogether: nothing ready either.
    pytest.param(
        view(validating_webhooks=[config("guard", hook("v.guard.io"))], services=[GUARD]),
        [(f"/{V}/guard", "webhook_service_unavailable", "critical")],
        id="no-endpoints-object",
    ),
    # The API server calls 9443; the Service exposes only 443.
    pytest.param(
        view(
            validating_webhooks=[config("guard", hook("v.guard.io", port=9443))],
            services=[GUARD],
            endpoints=[READY],
        ),
        [(f"/{V}/guard", "webhook_port_unexposed", "critical")],
        id="port",
    ),
]


@pytest.mark.parametrize("obj, expected", CASES)
def test_webhook(obj, expected) -> None:
    found = webhook.check(obj)
    assert [(f.object, f.problem, f.severity) for f in found] == expected


def test_webhooks_of_one_configuration_are_named_together() -> None:
    hooks = [hook(f"v{i}.guard.io", failurePolicy="Ignore") for i in range(4)]
    hooks.append(hook("fail.guard.io"))
    (finding,) = webhook.check(view(validating_webhooks=[config("guard", *hooks)]))
    assert finding.evidence["webhooks"] == "v0.guard.io, v1.guard.io, v2.guard.io (+2)"
    assert finding.evidence["failure_policy"] == "Fail/Ignore"
    assert finding.severity == "critical"
    assert finding.evidence["service"] == "shop/guard"
