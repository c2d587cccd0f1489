"""Per-request contexts handed to skills and card actions.

``reply``/``send`` derive an idempotent Feishu ``uuid`` from the triggering delivery
and a per-request counter, so re-running the same delivery cannot post twice.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from bot.cards.card import Card
from bot.cards.clock import card_time
from bot.cards.notices import error_card
from bot.events import CardAction, IncomingMessage
from bot.messenger import FeishuError, Payload, uuid_for
from bot.services import Services
from messages import t

__all__ = ["Context", "ActionContext", "GONE"]

# Feishu's answers to a reply to a message that is not there (never was, or withdrawn).
GONE = frozenset({230002, 230011})


@dataclass
class _Base:
    services: Services
    chat_id: str
    user_open_id: str
    request_key: str
    _counter: itertools.count[int] = field(default_factory=itertools.count, repr=False)
    working_id: str = ""  # the "working" card of this request: a failure patches it

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

    async def send(self, payload: Payload, *, to_user: bool = False) -> str:
        """Send a new message to this chat (or privately to the user)."""
        if to_user or not self.chat_id:
            return await self.services.messenger.send(
                self.user_open_id, payload, uuid=self.next_uuid(), id_type="open_id"
            )
        return await self.services.messenger.send(self.chat_id, payload, uuid=self.next_uuid())

    async def in_thread_of(self, message_id: str, payload: Payload) -> str:
        """A reply in the thread of ``message_id`` (a card), or a new message in this chat
        when that card is gone (never was, or withdrawn)."""
        uuid = self.next_uuid()
        try:
            return await self.services.messenger.reply(
                message_id, payload, uuid=uuid, in_thread=True, chat_id=self.chat_id
            )
        except FeishuError as exc:
            if exc.code not in GONE:
                raise
        return await _Base.send(self, payload)

    async def patch(self, message_id: str, card: Card) -> None:
        await self.services.messenger.patch(message_id, card, chat_id=self.chat_id)

    async def answer(self, payload: Payload) -> str:
        """A new answer: a reply to a message, a new message for a click."""
        return await self.send(payload)

    async def working(self, card: Card, *, message_id: str = "") -> str:
        """Show the "working" card (posted, or patched over ``message_id``); whatever
        fails later patches this card instead of posting a second one (``fail``)."""
        if message_id:
            await self.patch(message_id, card)
            self.working_id = message_id
        else:
            self.working_id = await self.answer(card)
        return self.working_id

    async def fail(self, card: Card) -> None:
        """Show a failure on the working card when there is one, else as a new answer."""
        if self.working_id:
            await self.patch(self.working_id, card)
        else:
            await self.answer(card)

    def dependency_card(self, dependency: str, detail: str) -> Card:
        """An error card naming ``dependency``, the cause and since when it fails."""
        services = self.services
        now = services.clock()
        first = services.outages.failed(dependency, now)
        since = card_time(first, str(self.settings.runtime.timezone), self.lang, now)
        return error_card(self.lang, dependency, detail, since=since)


@dataclass
class Context(_Base):
    """A chat message being handled."""

    message: IncomingMessage | None = None
    # Without a message: the card whose thread the answers go into (a command a card
    # button started, as "Run RCA" on an alert card).
    thread_of: str = ""

    @property
    def is_group(self) -> bool:
        return self.message is not None and self.message.chat_type == "group"

    async def answer(self, payload: Payload) -> str:
        return await self.reply(payload)

    async def reply(self, payload: Payload) -> str:
        """Answer the triggering message: in a group, in its thread (opened on it when it
        has none), so what follows a command stays together; in a private chat, as a
        plain reply unless the message was in a thread. Started from a card
        (``thread_of``): in that card's thread."""
        if (self.message is None or not self.message.message_id) and self.thread_of:
            return await self.in_thread_of(self.thread_of, payload)
        if self.message is None or not self.message.message_id:
            return await self.send(payload)
        return await self.services.messenger.reply(
            self.message.message_id,
            payload,
            uuid=self.next_uuid(),
            in_thread=bool(self.message.thread_id) or self.is_group,
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

    async def send(self, payload: Payload, *, to_user: bool = False) -> str:
        """What a click starts (an RCA, a diagnosis, a plan) goes into the clicked card's
        thread, so everything that follows an alert or a command stays under it;
        ``to_user``: privately to the user instead."""
        if to_user or not self.message_id or not self.chat_id:
            return await super().send(payload, to_user=to_user)
        return await self.in_thread_of(self.message_id, payload)

    async def send_to_chat(self, payload: Payload) -> str:
        """A new message in the chat the click came from (refusals: a click from another
        chat is answered there, not in the card's thread)."""
        return await _Base.send(self, payload)

    async def update_card(self, card: Card) -> None:
        await self.patch(self.message_id, card)
