"""The hand-off from a transport to the worker pool: convert, count, enqueue, return.

Called synchronously by lark-oapi's dispatcher (on the event loop for the webhook, on
the long-connection thread otherwise); it never waits for the work itself.
"""

from __future__ import annotations

from typing import Any

from bot.events import parse_card_action, parse_chat_event, parse_message
from bot.registry import Registry
from bot.router import handle_action, handle_chat_event, handle_message
from bot.services import Services
from bot.worker import WorkerPool
from messages import t

__all__ = ["Intake", "Busy"]


class Busy(RuntimeError):
    """The worker queue is full: the transport answers with a retryable status."""


class Intake:
    def __init__(self, services: Services, registry: Registry, pool: WorkerPool) -> None:
        self.services = services
        self.registry = registry
        self.pool = pool

    def _submit(self, kind: str, job: Any) -> None:
        self.services.metrics.events.labels(kind=kind).inc()
        if not self.pool.submit(job):
            self.services.metrics.errors.labels(kind="queue_full").inc()
            raise Busy("worker queue is full")

    def message(self, envelope: dict[str, Any]) -> None:
        msg = parse_message(envelope)
        self._submit("message", lambda: handle_message(msg, self.services, self.registry))

    def chat_event(self, envelope: dict[str, Any]) -> None:
        event = parse_chat_event(envelope)
        self._submit(event.kind, lambda: handle_chat_event(event, self.services, self.registry))

    def ignored(self, envelope: dict[str, Any]) -> None:
        self.services.metrics.events.labels(kind="ignored").inc()

    def card_action(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Queue the click and answer at once with a toast (the card is patched later)."""
        action = parse_card_action(envelope)
        lang = self.services.lang
        if action.name not in self.registry.actions:
            self.services.metrics.events.labels(kind="card_unknown").inc()
            return {"toast": {"type": "warning", "content": t("toast.unknown_action", lang)}}
        try:
            self._submit("card", lambda: handle_action(action, self.services, self.registry))
        except Busy:
            return {"toast": {"type": "error", "content": t("toast.busy", lang)}}
        return {"toast": {"type": "info", "content": t("toast.received", lang)}}
