"""Silences through the Alertmanager API v2 (``POST /api/v2/silences``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import httpx

__all__ = ["AlertmanagerClient", "SilenceFailed", "matchers_for"]


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
