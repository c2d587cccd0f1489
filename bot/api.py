"""``/api/v1``: REST endpoints for other tools, behind ``Authorization: Bearer <token>``.

Disabled (404) when CLOUDOPS_API_TOKEN is unset. Capabilities add their routes to the
router returned here.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

__all__ = ["api_router"]


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
