"""Alerts pushed into chats: Alertmanager cards with Silence/Claim/Run-RCA buttons,
escalation of unclaimed ones, ``/alerts``, ``/silences``, and optional anomaly scans
(``/incident`` and the War room button: ``skills.incident``). ``register`` adds the card
buttons and the chat commands; the composition root wires the webhook
(``bot.app.webhooks``) and the scheduled scans and escalation (``bot.app.jobs``)."""

from bot.registry import Registry
from skills.alerts.actions import register_actions
from skills.alerts.chat import register_chat

__all__ = ["register"]


def register(registry: Registry) -> None:
    register_actions(registry)
    register_chat(registry)
