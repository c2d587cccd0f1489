"""Two clusters, ``east`` and ``west``: each a real Prometheus backfilled with its own
incident of ``payments`` (a different culprit) and a simulated API server (the legacy
nginx, broken the same way in both) reached through a two-context kubeconfig."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.app.capabilities import prometheus_capability
from bot.app.cluster import cluster_capability
from sandbox.cluster import KubeSimulator
from sandbox.demo import BackfilledPrometheus, Scenario, incident_scenario
from tests.fix.conftest import nginx_world
from tests.skills.chat import FakeChat
from tests.skills.conftest import MakeChat, chat_platform, make_chat

ADMIN, APPROVER, MEMBER = "ou_admin", "ou_approver", "ou_member"
EAST_CULPRIT, WEST_CULPRIT = "ledger", "fraud"

__all__ = ["chat_platform", "make_chat"]  # the in-process chat fixtures, used here too


@dataclass(frozen=True)
class Incidents:
    """Both clusters' backfilled Prometheus servers (same window, different culprits)."""

    east_url: str
    west_url: str
    east: Scenario
    west: Scenario


@pytest.fixture(scope="session")
def incidents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Incidents]:
    east = incident_scenario(minutes=60, onset_minute=40, seed=3, culprit=EAST_CULPRIT)
    west = incident_scenario(
        start=east.start.to_pydatetime(), minutes=60, onset_minute=38, seed=11, culprit=WEST_CULPRIT
    )
    assert east.end == west.end and east.services == west.services
    with (
        BackfilledPrometheus(east.text, tmp_path_factory.mktemp("prom-east")) as east_prom,
        BackfilledPrometheus(west.text, tmp_path_factory.mktemp("prom-west")) as west_prom,
    ):
        yield Incidents(east_prom.url, west_prom.url, east, west)


@dataclass
class Clusters:
    """The two API servers and a chat bound to nothing yet (``chat.elsewhere()`` for more)."""

    chat: FakeChat
    east: KubeSimulator
    west: KubeSimulator

    def nginx(self, sim: KubeSimulator) -> dict[str, Any]:
        with sim.world.lock:
            found = sim.world.get("deployments", "default", "nginx")
        assert found is not None
        return json.loads(json.dumps(found))


def two_context_kubeconfig(path: Path, east: KubeSimulator, west: KubeSimulator) -> Path:
    """One kubeconfig file with a context per simulated API server (as an operator's)."""
    names = {"east": east, "west": west}
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": n, "cluster": {"server": s.url}} for n, s in names.items()],
        "users": [{"name": f"{n}-admin", "user": {"token": f"{n}-token"}} for n in names],
        "contexts": [
            {"name": f"ctx-{n}", "context": {"cluster": n, "user": f"{n}-admin"}} for n in names
        ],
        "current-context": "ctx-west",
    }
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


@pytest.fixture
def clusters(make_chat: MakeChat, incidents: Incidents, tmp_path: Path) -> Iterator[Clusters]:
    """The bot with ``clusters: [east, west]`` (``default_cluster: west``, so a chat acts
    on east only when bound to it or told to), an admin, an approver and reads for all."""
    with (
        KubeSimulator(nginx_world(), auto_tick=0.05) as east,
        KubeSimulator(nginx_world(), auto_tick=0.05) as west,
    ):
        kubeconfig = str(two_context_kubeconfig(tmp_path / "kubeconfig", east, west))
        config = {
            "clusters": [
                {
                    "name": name,
                    "kubeconfig": kubeconfig,
                    "kubeconfig_context": f"ctx-{name}",
                    "prometheus": {"url": url},
                }
                for name, url in (("east", incidents.east_url), ("west", incidents.west_url))
            ],
            "default_cluster": "west",
            "prometheus": {"services": incidents.east.services_config()},
            "access": {"reads": "everyone", "grants": [{"role": "admin", "open_ids": [ADMIN]}]},
            "approvals": {"approvers": [{"open_id": APPROVER, "namespaces": ["default"]}]},
            "fixes": {"watch_timeout_seconds": 5, "poll_seconds": 0.1},
        }
        chat = make_chat(
            config=config, capabilities=[prometheus_capability, cluster_capability], user=MEMBER
        )
        end = incidents.east.end.to_pydatetime()
        chat.services.clock = lambda: end  # both backfilled incidents end here
        yield Clusters(chat, east, west)
