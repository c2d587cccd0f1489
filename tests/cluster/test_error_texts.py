"""Failed calls against the simulated API server read as their cause, never a method name."""

from __future__ import annotations

import re

import pytest

from bot.texts.cluster import error_text
from cluster.access import ClusterAccess
from cluster.errors import ClusterError
from sandbox.cluster import KubeSimulator, demo_world

METHOD_NAME = re.compile(r"\b(read|list|patch)_[a-z_]+\b")


@pytest.fixture(scope="module")
def demo():
    with KubeSimulator(demo_world(settle_seconds=5)) as sim:
        yield sim


async def _failure(call) -> ClusterError:
    with pytest.raises(ClusterError) as caught:
        await call
    return caught.value


async def test_a_missing_deployment_names_kind_namespace_and_name(demo) -> None:
    access = ClusterAccess(demo.api_client())
    error = await _failure(access.deployment("payments", "fraud"))
    assert error_text(error, "fraud", "en-US") == "object not found: Deployment payments/fraud"
    zh = error_text(error, "fraud", "zh-CN")
    assert "Deployment payments/fraud" in zh and "read_namespaced" not in zh


async def test_permission_denied_names_the_verb_and_the_resource(demo) -> None:
    access = ClusterAccess(demo.api_client())
    demo.inject_fault(r"/namespaces/payments/pods$", status=403, times=1)
    error = await _failure(access.pods("payments"))
    text = error_text(error, "", "en-US")
    assert text.startswith("permission denied")
    assert "list pods" in text and "namespace payments" in text
    assert not METHOD_NAME.search(text)


async def test_no_answer_says_what_was_being_done(demo) -> None:
    access = ClusterAccess(demo.api_client(), request_timeout=0.3)
    demo.inject_fault(r"/namespaces/payments/deployments/payments$", hang=2.0, times=1)
    error = await _failure(access.deployment("payments", "payments"))
    for lang in ("en-US", "zh-CN"):
        text = error_text(error, "payments", lang)
        assert "get Deployment payments/payments" in text
        assert not METHOD_NAME.search(text)


async def test_a_server_error_keeps_its_status_not_the_method(demo) -> None:
    access = ClusterAccess(demo.api_client())
    demo.inject_fault(r"/namespaces/payments/services$", status=500, times=1)
    text = error_text(await _failure(access.services("payments")), "", "en-US")
    assert "HTTP 500" in text and "list Service payments" in text
    assert not METHOD_NAME.search(text)
