"""Paths served only on the internal port (``server.internal_port``).

``cloudops serve`` listens on the public port (behind the Ingress) and, when an internal
port is set, on that one too. Requests for an internal path (``/alertmanager``) that come
in on any other port are answered 404, as if the route did not exist, so a too-wide
Ingress rule cannot expose them.
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["InternalOnly", "INTERNAL_PATHS"]

INTERNAL_PATHS = ("/alertmanager",)


class InternalOnly:
    def __init__(self, app: ASGIApp, *, port: int, paths: Collection[str] = INTERNAL_PATHS):
        self.app = app
        self.port = port
        self.paths = tuple(paths)

    def _internal(self, path: str) -> bool:
        return any(path == p or path.startswith(p + "/") for p in self.paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._internal(scope.get("path", "")):
            server = scope.get("server") or (None, None)
            if server[1] != self.port:
                body = b'{"detail":"Not Found"}'
                await send(
                    {
                        "type": "http.response.start",
                        "status": 404,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
