"""An ASGI middleware that refuses request bodies over a size, before they are read.

A declared ``Content-Length`` over the limit is answered 413 at once, without reading a
byte of the body; a streamed (chunked) body is counted as it arrives and refused as soon
as it crosses the limit. Either way the connection is closed, so the server stops
reading what the client still sends.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.refusals import Refusals, refusal_body

__all__ = ["BodyLimit", "BodyTooLarge"]

_DIGITS = re.compile(rb"[0-9]{1,19}")


class BodyTooLarge(HTTPException):
    """The body crossed the limit while it was being read (FastAPI answers it as a 413)."""

    def __init__(self) -> None:
        super().__init__(413, "body_too_large", headers={"Connection": "close"})


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        refusals: Refusals,
        by_path: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.default = max_bytes
        self.by_path = dict(by_path or {})
        self.refusals = refusals

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.by_path.get(scope.get("path", ""), self.default)
        declared = [v for k, v in scope["headers"] if k == b"content-length"]
        if declared:
            if len(declared) > 1 or not _DIGITS.fullmatch(declared[0]):
                await self._refuse(scope, send, 400, "bad_content_length")
                return
            if int(declared[0]) > limit:
                await self._refuse(scope, send, 413, "body_too_large")
                return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    self.refusals.record(413, "body_too_large", path=_path(scope))
                    raise BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await _answer(send, 413, "body_too_large")

    async def _refuse(self, scope: Scope, send: Send, status: int, reason: str) -> None:
        self.refusals.record(status, reason, path=_path(scope))
        await _answer(send, status, reason)


def _path(scope: Scope) -> str:
    return str(scope.get("path", ""))[:100]


async def _answer(send: Send, status: int, reason: str) -> None:
    body = refusal_body(reason)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
