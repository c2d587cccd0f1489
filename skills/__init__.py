"""Chat skills. Each module exposes ``register(registry)``; this builds the default set."""

from __future__ import annotations

from bot.registry import Registry

__all__ = ["default_registry"]


def default_registry() -> Registry:
    from skills import (
        alerts,
        approval,
        ask,
        audit,
        diagnose,
        fix,
        fix_buttons,
        forecast,
        help,
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

    registry = Registry()
    for module in (
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
        oncall,
        whoami,
        setup,
    ):
        module.register(registry)
    return registry
