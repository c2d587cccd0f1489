"""The departments of a person, for department grants: Feishu's contact API, cached.

Card callbacks and message events carry the sender's open_id only, so the departments
come from ``GET /open-apis/contact/v3/users/:open_id`` (scope
``contact:user.department:readonly``). When the call fails (no scope, a person outside
the app's contact range, Feishu down) the departments are unknown: a department grant
then does not match, and the failure is cached briefly so a burst of clicks costs one call.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import structlog
from lark_oapi.api.contact.v3 import GetUserRequest

__all__ = ["LarkDepartments"]

log = structlog.get_logger(__name__)


class LarkDepartments:
    def __init__(
        self,
        client: Any,
        *,
        ttl_seconds: float = 600,
        failure_ttl_seconds: float = 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._ttl, self._failure_ttl, self._clock = ttl_seconds, failure_ttl_seconds, clock
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}

    async def departments_of(self, open_id: str) -> frozenset[str]:
        now = self._clock()
        cached = self._cache.get(open_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        found = await self._fetch(open_id)
        ttl = self._ttl if found is not None else self._failure_ttl
        departments = found or frozenset()
        self._cache[open_id] = (now + ttl, departments)
        return departments

    async def _fetch(self, open_id: str) -> frozenset[str] | None:
        request = (
            GetUserRequest.builder()
            .user_id(open_id)
            .user_id_type("open_id")
            .department_id_type("open_department_id")
            .build()
        )
        try:
            response = await self._client.contact.v3.user.aget(request)
        except Exception as error:  # unreachable: unknown departments, no match
            log.warning("departments_unavailable", error=type(error).__name__)
            return None
        if not response.success() or response.data is None or response.data.user is None:
            log.warning("departments_unavailable", code=response.code)
            return None
        return frozenset(response.data.user.department_ids or ())
