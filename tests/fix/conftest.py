"""A running bot with the fix skills, wired to a simulated cluster through the real
kubernetes client, approvers from a CLOUDOPS_CONFIG file, and card helpers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.app import Capability
from bot.app.cluster import cluster_capability
from bot.cards.schema import validate_card
from bot.registry import Registry
from bot.state import ActionRecord, AuditRecord
from sandbox.cluster import DEMO_IMAGES, KubeSimulator, World, legacy_nginx, step
from sandbox.cluster.manifests import node, service
from sandbox.feishu import FakePlatform
from sandbox.feishu.records import FakeMessage
from skills import approval, audit, diagnose, fix, fix_buttons, help
from tests.conftest import RunningBot, bot_settings, start_bot

APPROVER = "ou_approver"
STRANGER = "ou_stranger"
CHAT = "oc_ops"
DEPLOYMENT_PATH = "/apis/apps/v1/namespaces/default/deployments/nginx"


def nginx_world() -> World:
    """One node, the legacy nginx (readiness on a missing /health, probed every 1 s with
    failureThreshold 1, requests 512Mi/500m) and its Service."""
    world = World(images=dict(DEMO_IMAGES))
    world.add(node("node-1"))
    world.add(legacy_nginx())
    world.add(service("default", "nginx", {"app": "nginx"}, 80, 80))
    for _ in range(30):
        step(world)
    return world


def fix_registry() -> Registry:
    registry = Registry()
    for module in (help, diagnose, fix, fix_buttons, approval, audit):
        module.register(registry)
    return registry


def config_file(tmp_path: Path, **overrides: Any) -> str:
    config: dict[str, Any] = {
        "approvals": {
            "ttl_minutes": 30,
            "approvers": [
                {"open_id": APPROVER, "namespaces": ["default"]},
                {"open_id": "ou_payments_lead", "namespaces": ["payments"]},
            ],
        },
        "fixes": {"watch_timeout_seconds": 3, "poll_seconds": 0.1, "max_replicas": 5},
        **overrides,
    }
    path = tmp_path / "cloudops.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return str(path)


@dataclass
class FixEnv:
    bot: RunningBot
    sim: KubeSimulator

    # -- chat ---------------------------------------------------------------------------
    def say(self, text: str, chat: str = CHAT) -> None:
        self.bot.sender.say(text, chat_id=chat)

    def click(
        self, value: dict[str, Any], message: FakeMessage, operator: str = APPROVER, **options: Any
    ) -> None:
        self.bot.sender.click(
            value,
            message_id=message.message_id,
            chat_id=message.chat_id,
            operator=operator,
            **options,
        )

    def messages(self, chat: str = CHAT) -> list[FakeMessage]:
        return self.bot.bot_messages(chat)

    def wait_message(self, predicate: Any, chat: str = CHAT, timeout: float = 15) -> FakeMessage:
        found: FakeMessage = self.bot.wait_for(
            lambda: next((m for m in self.messages(chat) if predicate(m)), None), timeout
        )
        return found

    def approval_cards(self, chat: str = CHAT) -> list[FakeMessage]:
        """Cards still showing an Approve button (a decision patches it away)."""
        return [m for m in self.messages(chat) if find_button(m.content, "approve_plan")]

    def wait_approval(
        self, exclude: Collection[str] = (), chat: str = CHAT, timeout: float = 15
    ) -> tuple[FakeMessage, str]:
        """A pending approval card whose plan is not in ``exclude``, and its plan id."""

        def fresh() -> tuple[FakeMessage, str] | None:
            for message in self.approval_cards(chat):
                plan_id = plan_of(message)
                if plan_id not in exclude:
                    return message, plan_id
            return None

        found: tuple[FakeMessage, str] = self.bot.wait_for(fresh, timeout)
        return found

    # -- cluster ------------------------------------------------------------------------
    def applies(self) -> list[Any]:
        """Non-dry-run PATCH requests to the nginx deployment."""
        return [
            r
            for r in self.sim.requests_to("PATCH", DEPLOYMENT_PATH + "$")
            if not r.query.get("dryRun")
        ]

    def nginx(self) -> dict[str, Any]:
        with self.sim.world.lock:
            found = self.sim.world.get("deployments", "default", "nginx")
        assert found is not None
        return json.loads(json.dumps(found))

    # -- state (the store is async; tests read it from their own thread) ---------------
    @property
    def store(self) -> Any:
        return self.bot.runtime.services.store

    def record(self, plan_id: str) -> ActionRecord:
        found = asyncio.run(self.store.approvals.get(plan_id))
        assert found is not None
        return found

    def audit(self, limit: int = 50) -> list[AuditRecord]:
        return list(asyncio.run(self.store.audit.recent(limit)))


def plan_of(message: FakeMessage) -> str:
    found = find_button(message.content, "approve_plan")
    assert found is not None
    return str(found[1]["plan_id"])


def walk(element: Any) -> Iterator[dict[str, Any]]:
    if isinstance(element, dict):
        yield element
        for value in element.values():
            yield from walk(value)
    elif isinstance(element, list):
        for item in element:
            yield from walk(item)


def buttons(card: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(visible text, callback value) of every button on the card."""
    found = []
    for element in walk(card.get("body", {})):
        if element.get("tag") == "button" and "value" in element["behaviors"][0]:
            value = element["behaviors"][0]["value"]  # not the link buttons
            found.append((element["text"]["content"], value))
    return found


def find_button(card: dict[str, Any], action: str) -> tuple[str, dict[str, Any]] | None:
    return next(((text, v) for text, v in buttons(card) if v.get("action") == action), None)


def card_text(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


def every_card_is_valid(platform: FakePlatform) -> int:
    checked = 0
    for message in platform.ledger.sent():
        if message.msg_type != "interactive":
            continue
        for version in [*message.versions, message.content]:
            validate_card(version)
            checked += 1
    return checked


@pytest.fixture
def sim() -> Iterator[KubeSimulator]:
    """Simulated time runs by itself (20 simulated seconds per real second)."""
    with KubeSimulator(nginx_world(), auto_tick=0.05) as running:
        yield running


@pytest.fixture
def make_env(
    platform: FakePlatform, db_url: str, tmp_path: Path, sim: KubeSimulator
) -> Iterator[Callable[..., FixEnv]]:
    """``make_env(*more_capabilities, **config_sections)``: the bot, after the cluster
    capability."""
    started: list[RunningBot] = []

    def make(*capabilities: Capability, request_timeout: float = 3.0, **config: Any) -> FixEnv:
        path = config_file(tmp_path, **config)
        settings = bot_settings(platform, db_url, CLOUDOPS_CONFIG=path)
        settings.cluster.api_client = sim.api_client()
        # Short enough for the tests of an API server that hangs (they ask for 1 s), long
        # enough for a survey's forty-odd reads on a loaded two-core machine.
        settings.cluster.request_timeout_seconds = request_timeout
        running = start_bot(
            platform,
            db_url,
            registry=fix_registry(),
            capabilities=[cluster_capability, *capabilities],
            settings=settings,
        )
        started.append(running)
        return FixEnv(running, sim)

    yield make
    for running in started:
        running.stop()
    every_card_is_valid(platform)  # raises CardInvalid for any card any version


@pytest.fixture
def env(make_env: Callable[..., FixEnv]) -> FixEnv:
    return make_env()
