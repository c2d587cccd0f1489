"""ClusterAccess through the real client: JSON out, logs cleaned, typed errors naming calls."""

from __future__ import annotations

import pytest

from cluster.access import ClusterAccess
from cluster.errors import ClusterApiError, ClusterUnavailable, NotFound
from sandbox.cluster import KubeSimulator, demo_world


@pytest.fixture(scope="module")
def demo():
    with KubeSimulator(demo_world(settle_seconds=40)) as sim:
        yield sim


async def test_reads_return_api_json(demo) -> None:
    access = ClusterAccess(demo.api_client())
    deployment = await access.deployment("default", "nginx")
    probe = deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
    assert probe["httpGet"]["path"] == "/health" and probe["periodSeconds"] == 1
    pods = await access.pods("default", "app=nginx")
    assert len(pods) == 2 and pods[0]["status"]["containerStatuses"][0]["ready"] is False
    assert {d["metadata"]["name"] for d in await access.deployments()} >= {
        "nginx",
        "payments",
        "ledger",
    }
    assert (await access.nodes())[0]["status"]["allocatable"]["memory"] == "8Gi"
    assert (await access.hpas("payments"))[0]["spec"]["maxReplicas"] == 6
    assert (await access.quotas("payments"))[0]["status"]["hard"]["pods"] == "20"
    events = await access.events("default", kind="Pod")
    assert events and all(e["involvedObject"]["kind"] == "Pod" for e in events)
    assert await access.pod_metrics("payments")


async def test_config_keys_never_carry_secret_values(demo) -> None:
    keys = await ClusterAccess(demo.api_client()).config_keys("payments")
    assert keys["Secret/ledger-db"] == frozenset({"password"})
    assert "s3cr3t-pw" not in repr(keys)


async def test_logs_are_redacted_and_cut(demo) -> None:
    access = ClusterAccess(demo.api_client(), log_lines=2)
    (pod,) = await access.pods("payments", "app=ledger")
    text = await access.logs("payments", pod["metadata"]["name"], "ledger")
    assert text is not None
    assert "s3cr3t-pw" not in text  # the connection URL's password is masked ...
    assert "slow commit" in text  # ... the useful part stays
    assert len(text.splitlines()) <= 3  # two lines and the cut mark


async def test_logs_of_a_container_that_never_ran_are_none(demo) -> None:
    access = ClusterAccess(demo.api_client())
    pods = await access.pods("default", "app=checkout")
    waiting = [p for p in pods if p["status"]["phase"] == "Pending"][0]
    assert await access.logs("default", waiting["metadata"]["name"], "checkout") is None


async def test_kubeconfig_path_works(demo) -> None:
    access = ClusterAccess.from_kubeconfig(str(demo.kubeconfig_path()))
    assert (await access.deployment("payments", "payments"))["spec"]["replicas"] == 2


async def test_errors_are_typed_and_name_the_call(demo) -> None:
    access = ClusterAccess(demo.api_client(), request_timeout=0.5)
    with pytest.raises(NotFound) as missing:
        await access.deployment("default", "ghost")
    assert missing.value.call == "read_namespaced_deployment" and missing.value.status == 404
    demo.inject_fault(r"/namespaces/default/pods$", status=500, times=1)
    with pytest.raises(ClusterApiError) as failed:
        await access.pods("default")
    assert failed.value.call == "list_namespaced_pod" and failed.value.status == 500
    demo.inject_fault(r"/namespaces/default/services$", hang=3.0, times=1)
    with pytest.raises(ClusterUnavailable) as hung:
        await access.services("default")
    assert hung.value.call == "list_namespaced_service"
