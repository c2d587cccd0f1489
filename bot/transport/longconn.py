"""Long-connection transport: lark's WebSocket client in its own thread and loop.

The SDK captures an event loop at import and ``start()`` runs it forever, so the client
gets a dedicated thread whose loop is installed into the SDK module first. A watchdog
restarts the connection when nothing (frame or ping) was seen for too long.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import lark_oapi as lark
import structlog

__all__ = ["LongConnection"]

log = structlog.get_logger(__name__)


class WatchedClient(lark.ws.Client):  # type: ignore[misc]  # lark-oapi ships no types
    """lark's client, reporting every frame (events, pings, pongs) to the watchdog."""

    def __init__(self, *args: Any, on_frame: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_frame = on_frame

    async def _handle_message(self, msg: bytes) -> None:
        self._on_frame()
        await super()._handle_message(msg)


class LongConnection:
    def __init__(
        self,
        app_id: str,
        app_secret: str,
        domain: str,
        dispatcher: lark.EventDispatcherHandler,
        *,
        silence_limit: float = 300.0,
        client_factory: Callable[..., Any] | None = None,
    ) -> None:
        self._app_id = app_id
        self._app_secret = app_secret
        self._domain = domain
        self.handler = dispatcher
        self._silence_limit = silence_limit
        self._factory = client_factory or WatchedClient
        self._last_seen = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._watchdog: threading.Thread | None = None
        self.restarts = 0

    def touch(self) -> None:
        self._last_seen = time.monotonic()

    @property
    def silent_for(self) -> float:
        return time.monotonic() - self._last_seen

    def start(self) -> None:
        self._spawn()
        self._watchdog = threading.Thread(target=self._watch, name="longconn-watchdog", daemon=True)
        self._watchdog.start()

    def stop(self) -> None:
        self._stop.set()

    def _spawn(self) -> None:
        self.touch()
        self._thread = threading.Thread(target=self._run, name="longconn", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import lark_oapi.ws.client as ws_client

        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        ws_client.loop = loop  # the SDK runs on this module-level loop
        client = self._factory(
            self._app_id,
            self._app_secret,
            event_handler=self.handler,
            domain=self._domain,
            log_level=lark.LogLevel.WARNING,
            on_frame=self.touch,
        )
        client.on_reconnected = self.touch
        try:
            client.start()
        except Exception:
            log.exception("longconn_stopped")

    def _watch(self) -> None:
        while not self._stop.wait(min(5.0, self._silence_limit / 4)):
            dead = self._thread is None or not self._thread.is_alive()
            if dead or self.silent_for > self._silence_limit:
                # The SDK has no stop(): abandon the deaf thread (daemon) and start anew.
                log.warning("longconn_restart", silent_for=round(self.silent_for), dead=dead)
                self.restarts += 1
                self._spawn()
