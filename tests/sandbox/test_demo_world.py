"""The sandbox's metrics and its simulated cluster describe the same pods."""

from __future__ import annotations

import httpx

from bot.sandbox import Sandbox


def test_metric_pods_are_the_simulated_clusters_pods(sandbox: Sandbox) -> None:
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
