"""The long connection feeds the same router; its watchdog restarts a silent client."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.transport.longconn import LongConnection
from sandbox.feishu import FakePlatform
from tests.conftest import start_bot


def test_frames_from_the_sdk_handler_reach_the_router(platform: FakePlatform, db_url: str):
    bot = start_bot(platform, db_url, FEISHU_TRANSPORT="webhook")
    try:
        assert bot.runtime.longconn is None  # webhook mode: no WebSocket of its own
        # Drive the SDK's own long-connection entry point from another thread, exactly as
        # lark.ws.Client does for an EVENT frame (plaintext, already authenticated).
        handler = bot.runtime.dispatcher
        envelope = bot.sender.message_envelope("/help", chat_id="oc_ws")
        result: list[Any] = []
        thread = threading.Thread(
            target=lambda: result.append(
                handler._do_without_validation(json.dumps(envelope).encode())
            )
        )
        thread.start()
        thread.join(5)
        reply = bot.wait_for(lambda: bot.bot_messages("oc_ws"))[0]
        assert "/help" in json.dumps(reply.content)
    finally:
        bot.stop()


class SilentClient:
    """Stands in for lark.ws.Client: connects, then never delivers a frame."""

    started = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.on_reconnected = None

    def start(self) -> None:
        SilentClient.started += 1
        time.sleep(60)


@pytest.fixture
def silent_connection() -> Iterator[Callable[[float], LongConnection]]:
    """Starts a LongConnection over SilentClient with a given silence limit; stops it after."""
    started: list[LongConnection] = []

    def start(silence_limit: float) -> LongConnection:
        SilentClient.started = 0
        conn = LongConnection(
            "app",
            "secret",
            "https://open.feishu.cn",
            dispatcher=None,  # type: ignore[arg-type]
            silence_limit=silence_limit,
            client_factory=SilentClient,
        )
        conn.start()
        started.append(conn)
        return conn

    yield start
    for conn in started:
        conn.stop()


def test_watchdog_restarts_a_silent_connection(
    silent_connection: Callable[[float], LongConnection],
) -> None:
    conn = silent_connection(0.4)
    deadline = time.monotonic() + 10
    while SilentClient.started < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert conn.restarts >= 2
    assert SilentClient.started >= 3


def test_frames_keep_the_watchdog_quiet(
    silent_connection: Callable[[float], LongConnection],
) -> None:
    conn = silent_connection(0.6)
    end = time.monotonic() + 1.5
    while time.monotonic() < end:
        conn.touch()
        time.sleep(0.05)
    assert conn.restarts == 0
