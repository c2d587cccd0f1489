"""Alerts pushed into chats: Alertmanager cards with Silence/Claim/Run-RCA buttons,
escalation of unclaimed ones, ``/alerts``, ``/silences``, ``/incident timeline``, and
optional anomaly scans. ``register`` adds the card buttons and the chat commands; the
composition root wires the webhook (``bot.app.webhooks``) and the scheduled scans and
escalation (``bot.app.jobs``)."""

from bot.registry import Registry
from skills.alerts.actions import register_actions
from skills.alerts.chat import register_chat
from skills.alerts.timeline import register_timeline

__all__ = ["register"]


def register(registry: Registry) -> None:
    register_actions(registry)
    register_chat(registry)
    register_timeline(registry)
