"""``/healthz?verbose=1`` with two clusters: the flat ``dependencies`` map as before, and the
same probes grouped per cluster under ``clusters``; one cluster's Prometheus down shows in
that cluster only."""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.app.capabilities import prometheus_capability
from bot.app.cluster import cluster_capability
from sandbox.cluster import KubeSimulator, World
from sandbox.feishu import FakePlatform
from tests.conftest import start_bot
from tests.doctor.conftest import Metrics, write_config


def test_verbose_health_groups_dependencies_per_cluster(
    platform: FakePlatform, db_url: str, metrics: Metrics, tmp_path: Path
) -> None:
    with KubeSimulator(World()) as east, KubeSimulator(World()) as west:
        path = write_config(
            tmp_path / "cloudops.yaml",
            {
                "clusters": [
                    {
                        "name": "east",
                        "kubeconfig": str(east.kubeconfig_path()),
                        "prometheus": {"url": metrics.url},
                    },
                    {
                        "name": "west",
                        "kubeconfig": str(west.kubeconfig_path()),
                        "prometheus": {"url": "http://127.0.0.1:9"},  # nothing listens
                    },
                ]
            },
        )
        bot = start_bot(
            platform,
            db_url,
            capabilities=[prometheus_capability, cluster_capability],
            CLOUDOPS_CONFIG=path,
        )
        try:
            body = httpx.get(f"{bot.url}/healthz", params={"verbose": "1"}).json()
        finally:
            bot.stop()

    dependencies = body["dependencies"]
    assert dependencies["prometheus@east"] == {"up": True}
    assert dependencies["prometheus@west"]["up"] is False
    clusters = body["clusters"]
    assert sorted(clusters) == ["east", "west"]
    assert clusters["east"] == {"prometheus": {"up": True}, "kubernetes": {"up": True}}
    assert clusters["west"]["kubernetes"] == {"up": True}
    assert clusters["west"]["prometheus"]["up"] is False
    assert "PrometheusUnreachable" in clusters["west"]["prometheus"]["detail"]
