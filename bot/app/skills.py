"""The skills a bot installs by default, in help order."""

from __future__ import annotations

from bot.registry import Registry
from skills import (
    alerts,
    approval,
    ask,
    audit,
    cluster_binding,
    diagnose,
    fix,
    fix_buttons,
    forecast,
    help,
    incident,
    kb,
    logs,
    new_session,
    oncall,
    rca,
    research,
    setup,
    subscribe,
    whoami,
)

__all__ = ["default_registry"]

DEFAULT_SKILLS = (
    help,
    ask,
    new_session,
    kb,
    research,
    rca,
    diagnose,
    logs,
    fix,
    fix_buttons,
    approval,
    audit,
    forecast,
    subscribe,
    alerts,
    incident,
    oncall,
    whoami,
    setup,
    cluster_binding,
)


def default_registry() -> Registry:
    registry = Registry()
    for module in DEFAULT_SKILLS:
        module.register(registry)
    return registry
