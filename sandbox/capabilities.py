"""The sandbox runs the production capabilities; the Alertmanager webhook takes the
sandbox's own token, which ``sandbox.settings`` puts in the settings (never the process
environment)."""

from __future__ import annotations

from bot.app import Capability
from bot.capabilities import default_capabilities
from config.settings import Settings

__all__ = ["sandbox_capabilities"]


def sandbox_capabilities(settings: Settings) -> list[Capability]:
    return default_capabilities(settings)
