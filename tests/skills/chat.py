"""Skills in-process: a chat whose contexts are handed straight to a skill or a button.

Everything behind the context is real: the store (SQLite in a temporary file), the
messenger (lark-oapi over HTTP to the fake open platform) and the default registry. No
bot server runs; a test awaits ``handle`` (or the router's entry point) and reads what
the fake platform received. A test takes milliseconds.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace
from typing import Any

from bot.context import ActionContext, Context
from bot.events import CardAction, IncomingMessage
from bot.registry import Registry
from bot.router import handle_action, handle_message, split_command
from bot.services import Services
from sandbox.feishu import FakePlatform
from sandbox.feishu.records import FakeMessage

__all__ = ["FakeChat", "card_text"]


def card_text(message: FakeMessage) -> str:
    """Everything a message shows now (a patched card: its newest content), as one string."""
    return json.dumps(message.content, ensure_ascii=False)


@dataclass
class FakeChat:
    """One chat (``chat_id``) and one user (``user``) talking to the bot's skills."""

    platform: FakePlatform
    services: Services
    registry: Registry
    chat_id: str
    user: str = "ou_tester"

    def elsewhere(self) -> FakeChat:
        """Another chat with the same bot (the same services)."""
        return replace(self, chat_id="oc_" + secrets.token_hex(6))

    # -- contexts ----------------------------------------------------------------------
    def message(
        self, text: str, *, chat_type: str = "group", user: str = "", in_thread_of: str = ""
    ) -> IncomingMessage:
        """A message the user wrote (recorded by the fake, so the bot can reply to it);
        ``in_thread_of``: written in the thread of that message."""
        sender = user or self.user
        written = self.platform.inject_user_message(
            self.chat_id, text, sender, in_thread_of=in_thread_of or None
        )
        mentions = (self.services.bot_open_id,) if chat_type == "group" else ()
        return IncomingMessage(
            event_id="ev_" + secrets.token_hex(8),
            message_id=written.message_id,
            chat_id=self.chat_id,
            chat_type=chat_type,
            sender_open_id=sender,
            sender_type="user",
            message_type="text",
            text=text,
            mentioned_open_ids=mentions,
            parent_id=written.parent_id,
            root_id=written.root_id,
            thread_id=written.thread_id,
        )

    def context(
        self, text: str = "", *, chat_type: str = "group", user: str = "", in_thread_of: str = ""
    ) -> Context:
        """The context a skill's ``handle`` gets for ``text``."""
        msg = self.message(text, chat_type=chat_type, user=user, in_thread_of=in_thread_of)
        return Context(
            services=self.services,
            chat_id=self.chat_id,
            user_open_id=msg.sender_open_id,
            request_key=msg.dedupe_key,
            message=msg,
        )

    def card(self, content: dict[str, Any] | None = None) -> FakeMessage:
        """A card the bot posted earlier in this chat (a button's home; it is among
        ``sent()``, and a handler's patches land on it)."""
        posted = self.platform.inject_user_message(self.chat_id, "", "bot")
        posted.msg_type, posted.content = "interactive", content or {"schema": "2.0"}
        return posted

    def click(self, value: dict[str, Any], *, user: str = "", message_id: str = "") -> CardAction:
        return CardAction(
            event_id="ev_" + secrets.token_hex(8),
            operator_open_id=user or self.user,
            chat_id=self.chat_id,
            message_id=message_id or self.card().message_id,
            value=value,
        )

    def action_context(
        self, value: dict[str, Any], *, user: str = "", message_id: str = ""
    ) -> ActionContext:
        """The context a card button's handler gets for a click carrying ``value``."""
        action = self.click(value, user=user, message_id=message_id)
        return ActionContext(
            services=self.services,
            chat_id=self.chat_id,
            user_open_id=action.operator_open_id,
            request_key=action.dedupe_key,
            action=action,
        )

    # -- the skill itself --------------------------------------------------------------
    async def handle(self, text: str, **options: Any) -> Context:
        """``/command args``: the registered skill parses the arguments and handles them
        (no access check, no dedupe: the skill's own code)."""
        parsed = split_command(text)
        assert parsed is not None, text
        name, args = parsed
        skill = self.registry.find(name)
        assert skill is not None, name
        ctx = self.context(text, **options)
        await skill.handle(skill.parse(args), ctx)
        return ctx

    # -- through the router (access check, usage errors, error cards) -------------------
    async def say(
        self, text: str, *, chat_type: str = "group", user: str = "", in_thread_of: str = ""
    ) -> IncomingMessage:
        msg = self.message(text, chat_type=chat_type, user=user, in_thread_of=in_thread_of)
        await handle_message(msg, self.services, self.registry)
        return msg

    async def press(
        self, value: dict[str, Any], *, user: str = "", message_id: str = ""
    ) -> CardAction:
        action = self.click(value, user=user, message_id=message_id)
        await handle_action(action, self.services, self.registry)
        return action

    # -- what the chat shows -----------------------------------------------------------
    def sent(self) -> list[FakeMessage]:
        """What the bot posted in this chat, oldest first (patches are in ``versions``)."""
        return self.platform.ledger.sent(self.chat_id)

    def by_id(self, message_id: str) -> FakeMessage:
        return self.platform.ledger.messages[message_id]

    def only(self) -> FakeMessage:
        sent = self.sent()
        assert len(sent) == 1, [card_text(m)[:200] for m in sent]
        return sent[0]
