"""Shared fixtures: the fake Feishu open platform and a running bot talking to it."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import Capability, create_app
from bot.registry import Registry
from bot.serving import ThreadedServer
from config.settings import Settings, load_settings
from sandbox.feishu import EventSender, FakePlatform

ENCRYPT_KEY = "test-encrypt-key-0123456789"
VERIFICATION_TOKEN = "test-verification-token"


@dataclass
class RunningBot:
    platform: FakePlatform
    server: ThreadedServer
    sender: EventSender
    settings: Settings
    app: Any

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime

    def bot_messages(self, chat_id: str | None = None) -> list[Any]:
        return self.platform.ledger.sent(chat_id)

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        return self.platform.ledger.wait_for(predicate, timeout)

    def stop(self) -> None:
        self.server.stop()


def bot_settings(platform: FakePlatform, db_url: str, **env: str) -> Settings:
    environ = {
        "FEISHU_APP_ID": platform.app_id,
        "FEISHU_APP_SECRET": platform.app_secret,
        "FEISHU_VERIFICATION_TOKEN": VERIFICATION_TOKEN,
        "FEISHU_ENCRYPT_KEY": ENCRYPT_KEY,
        "FEISHU_DOMAIN": platform.url,
        "DATABASE_URL": db_url,
        "CLOUDOPS_LANGUAGE": "en-US",
        **env,
    }
    return load_settings(environ)


def start_bot(
    platform: FakePlatform,
    db_url: str,
    *,
    registry: Registry | None = None,
    capabilities: Sequence[Capability] = (),
    settings: Settings | None = None,
    **env: str,
) -> RunningBot:
    settings = settings or bot_settings(platform, db_url, **env)
    app = create_app(settings, registry=registry, capabilities=capabilities)
    server = ThreadedServer(app).start()
    sender = EventSender(
        f"{server.url}/feishu/events",
        encrypt_key=ENCRYPT_KEY,
        verification_token=VERIFICATION_TOKEN,
        app_id=platform.app_id,
        bot_open_id=platform.bot_open_id,
        platform=platform,
    )
    return RunningBot(platform, server, sender, settings, app)


@pytest.fixture
def platform() -> Iterator[FakePlatform]:
    # A unique app id per test: lark caches tenant tokens process-wide per app id.
    with FakePlatform(app_id="cli_" + secrets.token_hex(6)) as fake:
        yield fake


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'state.db'}"


@pytest.fixture
def bot(platform: FakePlatform, db_url: str) -> Iterator[RunningBot]:
    running = start_bot(platform, db_url)
    yield running
    running.stop()
