"""The sandbox runs the production capabilities, with the Alertmanager webhook wired to the
sandbox's own token instead of the process environment."""

from __future__ import annotations

import functools

from bot.app import Capability
from bot.capabilities import default_capabilities
from config.settings import Settings
from skills.alerts.push import push_capability

__all__ = ["sandbox_capabilities"]


def sandbox_capabilities(settings: Settings, alert_token: str) -> list[Capability]:
    wired = functools.partial(push_capability, environ={"ALERTMANAGER_WEBHOOK_TOKEN": alert_token})
    return [wired if c is push_capability else c for c in default_capabilities(settings)]
