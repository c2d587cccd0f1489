"""The sandbox's metrics and its simulated cluster describe the same pods."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox import Sandbox


@pytest.fixture(scope="module")
def fresh_sandbox() -> Iterator[Sandbox]:
    """A sandbox of its own: the shared one's pods are replaced by the fix-flow tests
    (Approve, Undo), while its metrics keep the pods it started with."""
    with Sandbox().start() as running:
        yield running


def test_metric_pods_are_the_simulated_clusters_pods(fresh_sandbox: Sandbox) -> None:
    sandbox = fresh_sandbox
    assert sandbox.metrics is not None
    with sandbox.simulator.world.lock:
        cluster = {p["metadata"]["name"] for p in sandbox.simulator.world.items("pods", "payments")}
    answer = httpx.get(
        f"{sandbox.metrics.url}/api/v1/query",
        params={
            "query": 'kube_pod_status_ready{namespace="payments", condition="true"}',
            "time": str(sandbox.now.timestamp()),  # the demo's "now", however long tests run
        },
        timeout=10,
    ).json()
    exported = {r["metric"]["pod"] for r in answer["data"]["result"]}
    deployments = {name.rsplit("-", 2)[0] for name in cluster}
    assert deployments >= {"payments", "ledger"}
    # every pod of a deployment the cluster runs exports metrics under its cluster name
    assert {p for p in exported if p.rsplit("-", 2)[0] in deployments} == cluster
    assert sandbox.metrics.scenarios[0].pods["payments"][0] in cluster  # the alert's pod
