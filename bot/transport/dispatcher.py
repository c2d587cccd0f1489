"""lark-oapi's event dispatcher wired to our intake, shared by both transports."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import lark_oapi as lark
from lark_oapi.event.callback.model.p2_card_action_trigger import (
    P2CardActionTrigger,
    P2CardActionTriggerResponse,
)
from lark_oapi.event.custom import CustomizedEvent

from bot.transport.intake import Intake

__all__ = ["build_dispatcher", "SUBSCRIBED_EVENTS", "quiet_sdk_refusals"]

# Every event type the README tells admins to subscribe to has a handler, because the SDK
# answers 500 (and Feishu retries for hours) for a type with none.
SUBSCRIBED_EVENTS = (
    "im.message.receive_v1",
    "im.chat.access_event.bot_p2p_chat_entered_v1",
    "im.chat.member.bot.added_v1",
    "application.bot.menu_v6",
    "im.message.message_read_v1",
    "im.chat.member.bot.deleted_v1",
)


class _DropHandledRefusals(logging.Filter):
    """The SDK logs a traceback for every request it refuses (twice: its own stdout handler
    and the root logger). The webhook transport logs each refusal itself in one line, so
    those records are dropped here; the SDK's other records pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("handle event failed")


def quiet_sdk_refusals() -> None:
    sdk_logger = logging.getLogger("Lark")
    if not any(isinstance(f, _DropHandledRefusals) for f in sdk_logger.filters):
        sdk_logger.addFilter(_DropHandledRefusals())


def _as_dict(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(lark.JSON.marshal(model))
    return data


def build_dispatcher(
    intake: Intake, encrypt_key: str, verification_token: str
) -> lark.EventDispatcherHandler:
    def on(handler: Callable[[dict[str, Any]], None]) -> Callable[[CustomizedEvent], None]:
        return lambda event: handler(_as_dict(event))

    def on_card(event: P2CardActionTrigger) -> P2CardActionTriggerResponse:
        return P2CardActionTriggerResponse(intake.card_action(_as_dict(event)))

    quiet_sdk_refusals()
    builder = lark.EventDispatcherHandler.builder(
        encrypt_key, verification_token, lark.LogLevel.ERROR
    )
    routes = {
        "im.message.receive_v1": intake.message,
        "im.chat.access_event.bot_p2p_chat_entered_v1": intake.chat_event,
        "im.chat.member.bot.added_v1": intake.chat_event,
        "application.bot.menu_v6": intake.chat_event,
    }
    for event_type in SUBSCRIBED_EVENTS:
        builder = builder.register_p2_customized_event(
            event_type, on(routes.get(event_type, intake.ignored))
        )
    return builder.register_p2_card_action_trigger(on_card).build()
