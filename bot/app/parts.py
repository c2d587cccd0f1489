"""What a capability gives the runtime: REST routes, other routes, start and stop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter

from bot.services import Services

__all__ = ["Capability", "CapabilityParts"]


@dataclass
class CapabilityParts:
    """``api`` is mounted under /api/v1, ``routes`` at the root; ``start``/``stop`` run
    with the app's lifespan (either may be a coroutine function)."""

    api: APIRouter | None = None
    routes: APIRouter | None = None
    start: Callable[[], Any] | None = None
    stop: Callable[[], Any] | None = None


# A capability plugs into the runtime: it may fill Services fields and returns its parts.
Capability = Callable[[Services], CapabilityParts]
