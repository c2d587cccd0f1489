"""The sandbox runs the production capabilities, with the Alertmanager webhook wired to the
sandbox's own token instead of the process environment."""

from __future__ import annotations

from bot.app import Capability
from bot.app.capabilities import default_capabilities

__all__ = ["sandbox_capabilities"]


def sandbox_capabilities(alert_token: str) -> list[Capability]:
    return default_capabilities(environ={"ALERTMANAGER_WEBHOOK_TOKEN": alert_token})
