"""Alerts pushed into chats: Alertmanager cards with Silence/Acknowledge/Run-RCA buttons,
and optional anomaly scans. ``skills.alerts.push.push_capability`` plugs the webhook and
the scheduler into the runtime; ``register`` adds the card buttons."""

from bot.registry import Registry
from skills.alerts.actions import register_actions

__all__ = ["register"]


def register(registry: Registry) -> None:
    register_actions(registry)
