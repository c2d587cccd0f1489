"""The sandbox runs the production capabilities; the Alertmanager webhook takes the
sandbox's own token, which ``sandbox.settings`` puts in the settings (never the process
environment)."""

from __future__ import annotations

from bot.app import Capability
from bot.app.capabilities import default_capabilities

__all__ = ["sandbox_capabilities"]


def sandbox_capabilities() -> list[Capability]:
    return default_capabilities()
