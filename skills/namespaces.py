"""Which namespace a request is about: the one configured for a service, or the one a
card button names."""

from __future__ import annotations

from typing import Any

from bot.access import ALL, Scope
from bot.context import ActionContext
from skills.arguments import NAME

__all__ = ["default_namespace", "button_scope"]


def default_namespace(settings: Any, service: str) -> str:
    """The service's namespace in ``prometheus.services`` (else ``default``)."""
    override = settings.prometheus.services.get(service) or {}
    return str(override.get("namespace") or "default")


def button_scope(value: dict[str, Any], ctx: ActionContext) -> Scope:
    """The namespace the button names (naming none or a bad one: every namespace)."""
    namespace = value.get("namespace")
    valid = isinstance(namespace, str) and NAME.match(namespace)
    return Scope(namespace=str(namespace) if valid else ALL)
