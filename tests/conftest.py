"""Shared fixtures: the fake Feishu open platform and a running bot talking to it."""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import Capability, create_app
from bot.registry import Registry
from bot.serving import ThreadedServer
from bot.state import open_store
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

    def settle(
        self, timeout: float = 10.0, post: Callable[[dict[str, Any]], Any] | None = None
    ) -> str:
        """A sentinel instead of a sleep: post a later event (a user opening a private chat
        with the bot), wait until the bot has called Feishu for it, then until its worker
        queue is empty. Every delivery posted before has then been handled to the end, so
        a test may assert that something did NOT happen. Returns the sentinel's chat id
        (its welcome card is the one message there). ``post`` sends the sentinel's
        envelope when the default (signed and encrypted) is not what this bot accepts."""
        chat = "oc_sentinel_" + secrets.token_hex(4)
        event = {"chat_id": chat, "operator_id": {"open_id": "ou_sentinel"}}
        envelope = self.sender.envelope("im.chat.access_event.bot_p2p_chat_entered_v1", event)
        assert (post or self.sender.post)(envelope).status_code == 200

        def called() -> bool:  # answered, or refused by an injected fault: either way done
            with self.platform.ledger.lock:
                requests = list(self.platform.ledger.requests)
            return any(isinstance(r.body, dict) and r.body.get("receive_id") == chat
                       for r in requests)  # fmt: skip

        self.wait_for(called, timeout)
        drain(self.runtime, timeout)
        return chat

    def others(self, sentinel: str) -> list[Any]:
        """What the bot sent anywhere but in the sentinel's chat."""
        return [m for m in self.bot_messages() if m.chat_id != sentinel]

    def stop(self) -> None:
        self.server.stop()


def drain(runtime: Any, timeout: float = 10.0) -> None:
    """Wait until the worker queue of a bot running in this process is empty (every job
    queued so far has finished). The pool runs on the server thread's event loop."""
    pool = runtime.pool
    asyncio.run_coroutine_threadsafe(pool.join(), pool._loop).result(timeout)


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


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One freshly migrated SQLite file; tests get copies (migrating takes longer than
    most tests, and opening a migrated copy finds nothing to do)."""
    path = tmp_path_factory.mktemp("migrated") / "state.db"
    open_store(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def db_url(tmp_path: Path, migrated_sqlite: Path) -> str:
    """This test's own SQLite database, already migrated."""
    path = tmp_path / "state.db"
    shutil.copy(migrated_sqlite, path)
    return f"sqlite:///{path}"


@pytest.fixture
def bot(platform: FakePlatform, db_url: str) -> Iterator[RunningBot]:
    running = start_bot(platform, db_url)
    yield running
    running.stop()
