"""The sandbox runs the production capabilities, plus the optional ones production lists
only when configured (knowledge base, Alertmanager push), wired to the sandbox's own
secrets instead of the process environment."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import structlog

from bot.app import Capability
from bot.capabilities import default_capabilities
from config.settings import Settings

__all__ = ["sandbox_capabilities"]

log = structlog.get_logger(__name__)


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    try:
        imported = __import__(module, fromlist=[name])
        found: Callable[..., Any] = getattr(imported, name)
        return found
    except Exception as exc:  # a skill that is not part of this build
        log.warning("sandbox_capability_missing", capability=f"{module}.{name}", error=str(exc))
        return None


def sandbox_capabilities(settings: Settings, alert_token: str) -> list[Capability]:
    chosen: list[Capability] = list(default_capabilities(settings))
    push = _optional("skills.alerts.push", "push_capability")
    knowledge = _optional("skills.kb", "knowledge_capability")
    if push is not None:
        wired = functools.partial(push, environ={"ALERTMANAGER_WEBHOOK_TOKEN": alert_token})
        chosen = [c for c in chosen if c is not push] + [wired]
    if knowledge is not None and knowledge not in chosen:
        chosen.append(knowledge)
    return chosen
