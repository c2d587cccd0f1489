"""The capabilities a production ``cloudops serve`` plugs into the runtime."""

from __future__ import annotations

from bot.app import Capability
from config.settings import Settings

__all__ = ["default_capabilities"]


def default_capabilities(settings: Settings) -> list[Capability]:
    return []
