"""``/api/v1``: REST endpoints for other tools, behind ``Authorization: Bearer <token>``.

Disabled (404) when CLOUDOPS_API_TOKEN is unset. Capabilities add their routes to the
router returned here.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.registry import DependencyError, DependencyFailure
from config.scrub import scrub

__all__ = ["api_router", "failed_dependency", "scrub_error_bodies"]


def _guard(token: str | None) -> Callable[[Request], Awaitable[None]]:
    async def require_token(request: Request) -> None:
        if not token:
            raise HTTPException(404, "the REST API is disabled: set CLOUDOPS_API_TOKEN")
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.encode(), token.encode()):
            raise HTTPException(
                401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"}
            )

    return require_token


def api_router(token: str | None, readiness: Callable[[], Awaitable[dict[str, Any]]]) -> APIRouter:
    router = APIRouter(prefix="/api/v1", dependencies=[Depends(_guard(token))])

    @router.get("/health")
    async def health() -> dict[str, Any]:
        return await readiness()

    return router


def failed_dependency(exc: DependencyError) -> HTTPException:
    """A skill's failed dependency as the REST answer: 404 when it answered without the
    data asked for, 502 when it failed."""
    status = 404 if exc.failure is DependencyFailure.NO_DATA else 502
    return HTTPException(status, scrub(f"{exc.dependency}: {exc.detail}"))


def scrub_error_bodies(app: FastAPI) -> None:
    """Every HTTP error body of the app passes the scrubber (credentials in a dependency's
    URL, tokens, configured secret values), whichever route raised it."""

    async def scrubbed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if isinstance(exc.detail, str):
            exc.detail = scrub(exc.detail)
        return await http_exception_handler(request, exc)

    app.add_exception_handler(StarletteHTTPException, scrubbed)
