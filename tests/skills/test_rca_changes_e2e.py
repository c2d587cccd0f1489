"""/rca names what changed: a real Prometheus holds the incident, the simulated cluster
shows the culprit's rollout of a new image shortly before the onset."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
import yaml

from bot.app.capabilities import prometheus_capability
from bot.app.cluster import cluster_capability
from sandbox.cluster import DEMO_IMAGES, KubeSimulator, World, step
from sandbox.cluster.manifests import container, deployment, node
from sandbox.feishu import FakePlatform
from tests.conftest import RunningBot, bot_settings, start_bot
from tests.skills.conftest import IncidentPrometheus

RELEASE_BEFORE_ONSET = pd.Timedelta(seconds=90)
NEW_IMAGE = "ghcr.io/acme/ledger:1.9.0"
ZONE = "Asia/Shanghai"


def _release(world: World, name: str, image: str) -> None:
    current = world.get("deployments", "payments", name)
    assert current is not None

    def release(d: dict[str, Any]) -> None:
        d["spec"]["template"]["spec"]["containers"][0]["image"] = image
        d["metadata"]["generation"] = int(d["metadata"].get("generation", 1)) + 1

    world.update(current, release)


@pytest.fixture
def rollout_world(incident_prometheus: IncidentPrometheus) -> World:
    """The incident's services as Deployments; the culprit rolls out a new image
    ``RELEASE_BEFORE_ONSET`` before the metrics' onset."""
    incident = incident_prometheus.incident
    assert incident.onset is not None and incident.culprit == "ledger"
    world = World(images=dict(DEMO_IMAGES), start=incident.start.to_pydatetime())
    world.add(node("node-1"))
    for name in incident.services:
        image = "ghcr.io/acme/ledger:1.8.0" if name == "ledger" else f"ghcr.io/acme/{name}:1.0.0"
        world.add(deployment("payments", name, [container(name, image, port=8080)]))
    for _ in range(30):
        step(world)
    world.clock = (incident.onset - RELEASE_BEFORE_ONSET - incident.start).total_seconds()
    _release(world, "ledger", NEW_IMAGE)
    for _ in range(30):
        step(world)
    return world


@pytest.fixture
def changes_bot(
    platform: FakePlatform,
    db_url: str,
    tmp_path: Path,
    incident_prometheus: IncidentPrometheus,
    rollout_world: World,
) -> Iterator[tuple[RunningBot, KubeSimulator]]:
    incident = incident_prometheus.incident
    config = tmp_path / "cloudops.yaml"
    services = {**incident.services_config(), **incident_prometheus.healthy.services_config()}
    config.write_text(
        yaml.safe_dump({"prometheus": {"services": services}, "runtime": {"timezone": ZONE}})
    )
    with KubeSimulator(rollout_world) as sim:
        settings = bot_settings(
            platform,
            db_url,
            PROMETHEUS_URL=incident_prometheus.url,
            CLOUDOPS_CONFIG=str(config),
        )
        settings.cluster.api_client = sim.api_client()
        settings.cluster.request_timeout_seconds = 2
        bot = start_bot(
            platform,
            db_url,
            capabilities=[prometheus_capability, cluster_capability],
            settings=settings,
        )
        end = incident.end.to_pydatetime()
        bot.runtime.services.clock = lambda: end
        try:
            yield bot, sim
        finally:
            bot.stop()


def test_rca_names_the_rollout_just_before_the_onset(
    changes_bot: tuple[RunningBot, KubeSimulator], incident_prometheus: IncidentPrometheus
) -> None:
    bot, sim = changes_bot
    bot.sender.say("/rca payments 30m -n payments", chat_id="oc_changes")

    def final() -> Any:
        sent = bot.bot_messages("oc_changes")
        return sent and sent[0].versions and sent[0].content

    card = bot.wait_for(final, timeout=30)
    text = json.dumps(card, ensure_ascii=False)
    incident = incident_prometheus.incident
    released = (incident.onset - RELEASE_BEFORE_ONSET).tz_convert(ZoneInfo(ZONE))
    verdicts = [e["content"] for e in card["body"]["elements"] if e["tag"] == "markdown"]
    named = [v for v in verdicts if "rolled out" in v]
    assert named, text[:1500]
    # "ledger rolled out ghcr.io/acme/ledger:1.9.0 at <local time> (was 1.8.0)"
    assert "ledger" in named[0] and NEW_IMAGE in named[0] and "1.8.0" in named[0]
    assert released.strftime("%H:%M") in named[0]  # the local time, not UTC
    assert "What changed in the window" in text
    # Reading the cluster changed nothing in it.
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert sim.requests_to(method) == []
