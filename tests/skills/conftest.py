"""Fixtures of the skill tests: an in-process chat (``chat``, ``make_chat``) and a real
Prometheus backfilled with the payments incident."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.access.departments import LarkDepartments
from bot.app import Capability
from bot.app.skills import default_registry
from bot.messenger import Messenger
from bot.metrics import Metrics
from bot.services import Services
from bot.state import open_store
from sandbox.demo import BackfilledPrometheus, Scenario, healthy_scenario, incident_scenario
from sandbox.demo import openmetrics as render
from sandbox.feishu import FakePlatform
from tests.conftest import bot_settings
from tests.skills.chat import FakeChat

MakeChat = Callable[..., FakeChat]


@dataclass(frozen=True)
class IncidentPrometheus:
    url: str
    incident: Scenario
    healthy: Scenario


@pytest.fixture(scope="session")
def incident_prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IncidentPrometheus]:
    incident = incident_scenario(minutes=60, onset_minute=40, seed=3)
    healthy = healthy_scenario(start=incident.start, minutes=60, seed=4, pod_prefix="web")
    with BackfilledPrometheus(render(incident, healthy), tmp_path_factory.mktemp("prom")) as p:
        yield IncidentPrometheus(p.url, incident, healthy)


@pytest.fixture(scope="session")
def chat_platform() -> Iterator[FakePlatform]:
    """One fake open platform for every in-process chat (each test has its own chat id)."""
    with FakePlatform(app_id="cli_skills_" + secrets.token_hex(4)) as fake:
        yield fake


@pytest.fixture
def make_chat(
    chat_platform: FakePlatform, migrated_sqlite: Path, tmp_path: Path
) -> Iterator[MakeChat]:
    """``make_chat(config={...}, capabilities=[...], cluster=api_client, **env)``: a chat with the
    bot's real services, configured by the given config file content, cluster API client and
    environment; capabilities fill their ``Services`` fields as the app factory does
    (stopped after the test). ``clusters={name: api_client}`` gives entries of the config's
    ``clusters:`` their API clients."""
    stores = []
    stops: list[Callable[[], Any]] = []

    def make(
        *,
        config: dict[str, Any] | None = None,
        capabilities: Sequence[Capability] = (),
        cluster: Any = None,
        clusters: Mapping[str, Any] | None = None,
        user: str = "ou_tester",
        **env: str,
    ) -> FakeChat:
        db = tmp_path / f"state{len(stores)}.db"
        shutil.copy(migrated_sqlite, db)
        if config is not None:
            path = tmp_path / f"cloudops{len(stores)}.yaml"
            path.write_text(yaml.safe_dump(config))
            env = {"CLOUDOPS_CONFIG": str(path), **env}
        settings = bot_settings(chat_platform, f"sqlite:///{db}", **env)
        if cluster is not None:  # an API client: a value a YAML file cannot hold
            settings.cluster.api_client = cluster
        entries = {entry.name: entry for entry in settings.clusters}
        for name, api_client in (clusters or {}).items():
            entries[name].api_client = api_client  # KeyError: not among the config's clusters
        store = open_store(settings.db_url, run_migrations=False)
        stores.append(store)
        metrics = Metrics()
        messenger = Messenger.create(
            chat_platform.app_id,
            chat_platform.app_secret,
            chat_platform.url,
            metrics,
            chat_qps=settings.runtime.chat_qps,
        )
        if settings.multi_cluster:  # as bot.app.factory composes it
            messenger.cluster = settings.home_cluster
        services = Services(settings, store, messenger, metrics, cluster_name=settings.home_cluster)
        services.bot_open_id = chat_platform.bot_open_id
        services.departments = LarkDepartments(messenger.client)
        for capability in capabilities:
            parts = capability(services)
            if parts.start or parts.api or parts.routes:
                raise ValueError("a capability with a lifecycle or routes needs a running bot")
            if parts.stop:
                stops.append(parts.stop)
        chat_id = "oc_" + secrets.token_hex(6)
        return FakeChat(chat_platform, services, default_registry(), chat_id, user)

    yield make
    for stop in stops:
        stop()
    for store in stores:
        store.close()


@pytest.fixture
def chat(make_chat: MakeChat) -> FakeChat:
    """A group chat with the default settings (no config file, no capabilities)."""
    return make_chat()
