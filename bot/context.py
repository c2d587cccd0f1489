"""Per-request contexts handed to skills and card actions.

``reply``/``send`` derive an idempotent Feishu ``uuid`` from the triggering delivery
and a per-request counter, so re-running the same delivery cannot post twice.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from bot.cards.card import Card
from bot.events import CardAction, IncomingMessage
from bot.messages import t
from bot.messenger import uuid_for
from bot.services import Services

__all__ = ["Context", "ActionContext"]


@dataclass
class _Base:
    services: Services
    chat_id: str
    user_open_id: str
    request_key: str
    _counter: itertools.count[int] = field(default_factory=itertools.count, repr=False)

    @property
    def lang(self) -> str:
        return self.services.lang

    @property
    def settings(self) -> Any:
        return self.services.settings

    def t(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    def next_uuid(self) -> str:
        return uuid_for(self.request_key, str(next(self._counter)))

    async def send(self, payload: Card | str, *, to_user: bool = False) -> str:
        """Send a new message to this chat (or privately to the user)."""
        if to_user or not self.chat_id:
            return await self.services.messenger.send(
                self.user_open_id, payload, uuid=self.next_uuid(), id_type="open_id"
            )
        return await self.services.messenger.send(self.chat_id, payload, uuid=self.next_uuid())

    async def patch(self, message_id: str, card: Card) -> None:
        await self.services.messenger.patch(message_id, card, chat_id=self.chat_id)


@dataclass
class Context(_Base):
    """A chat message being handled."""

    message: IncomingMessage | None = None

    @property
    def is_group(self) -> bool:
        return self.message is not None and self.message.chat_type == "group"

    async def reply(self, payload: Card | str) -> str:
        """Answer the triggering message (in its thread when it was in one)."""
        if self.message is None or not self.message.message_id:
            return await self.send(payload)
        return await self.services.messenger.reply(
            self.message.message_id,
            payload,
            uuid=self.next_uuid(),
            in_thread=bool(self.message.thread_id),
            chat_id=self.chat_id,
        )


@dataclass
class ActionContext(_Base):
    """A card button click being handled; ``message_id`` is the clicked card."""

    action: CardAction | None = None

    @property
    def value(self) -> dict[str, Any]:
        return self.action.value if self.action else {}

    @property
    def message_id(self) -> str:
        return self.action.message_id if self.action else ""

    async def update_card(self, card: Card) -> None:
        await self.patch(self.message_id, card)
