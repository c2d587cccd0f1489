"""Alertmanager's API v2: create, list and expire silences; list alerts.

``POST /api/v2/silences``, ``GET /api/v2/silences``, ``GET``/``DELETE
/api/v2/silence/{id}`` and ``GET /api/v2/alerts``. Failures raise SilenceFailed naming
the HTTP problem (never a body with secrets: Alertmanager has none to give)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import httpx

__all__ = ["AlertmanagerClient", "SilenceFailed", "matchers_for", "SILENCE_ID"]

SILENCE_ID = re.compile(r"^[0-9a-fA-F-]{8,64}$")


class SilenceFailed(RuntimeError):
    pass


def matchers_for(labels: Mapping[str, str]) -> list[dict[str, object]]:
    """Equality matchers for every label, sorted by name."""
    return [
        {"name": k, "value": v, "isRegex": False, "isEqual": True}
        for k, v in sorted(labels.items())
    ]


class AlertmanagerClient:
    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    async def silence(
        self,
        labels: Mapping[str, str],
        *,
        starts: datetime,
        duration: timedelta,
        created_by: str,
        comment: str,
    ) -> str:
        """Create a silence; returns its id. SilenceFailed names the HTTP problem."""
        body = {
            "matchers": matchers_for(labels),
            "startsAt": starts.isoformat(),
            "endsAt": (starts + duration).isoformat(),
            "createdBy": created_by,
            "comment": comment,
        }
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(f"{self.url}/api/v2/silences", json=body)
        except httpx.HTTPError as exc:
            raise SilenceFailed(f"unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise SilenceFailed(f"HTTP {response.status_code}: {response.text[:200]}")
        return str(response.json().get("silenceID", ""))

    async def _request(self, method: str, path: str, **options: Any) -> httpx.Response:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.request(method, f"{self.url}{path}", **options)
        except httpx.HTTPError as exc:
            raise SilenceFailed(f"unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise SilenceFailed(f"HTTP {response.status_code}: {response.text[:200]}")
        return response

    async def alerts(self) -> list[dict[str, Any]]:
        """Every alert Alertmanager holds that has not resolved (silenced ones included)."""
        params = {"active": "true", "silenced": "true", "inhibited": "true"}
        found = (await self._request("GET", "/api/v2/alerts", params=params)).json()
        return [a for a in found if isinstance(a, dict)] if isinstance(found, list) else []

    async def silences(self) -> list[dict[str, Any]]:
        """Every silence Alertmanager remembers (active, pending and expired)."""
        found = (await self._request("GET", "/api/v2/silences")).json()
        return [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []

    async def get_silence(self, silence_id: str) -> dict[str, Any] | None:
        if not SILENCE_ID.match(silence_id):
            return None
        try:
            found = (await self._request("GET", f"/api/v2/silence/{silence_id}")).json()
        except SilenceFailed as exc:
            if str(exc).startswith("HTTP 404"):
                return None
            raise
        return found if isinstance(found, dict) else None

    async def expire(self, silence_id: str) -> None:
        """End a silence now (``DELETE /api/v2/silence/{id}``)."""
        if not SILENCE_ID.match(silence_id):
            raise SilenceFailed(f"not a silence id: {silence_id[:64]!r}")
        await self._request("DELETE", f"/api/v2/silence/{silence_id}")
