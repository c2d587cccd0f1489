"""Builds Feishu event envelopes and delivers them signed and encrypted, as Feishu does."""

from __future__ import annotations

import json
import secrets
import time
from typing import TYPE_CHECKING, Any

import httpx

from sandbox.feishu.crypto import encrypt, sign

if TYPE_CHECKING:
    from sandbox.feishu.server import FakePlatform

__all__ = ["EventSender"]


class EventSender:
    def __init__(
        self,
        url: str,
        *,
        encrypt_key: str,
        verification_token: str,
        app_id: str = "cli_fake_app",
        bot_open_id: str = "ou_bot",
        client: httpx.Client | None = None,
        platform: FakePlatform | None = None,
    ) -> None:
        self.url = url
        self.encrypt_key = encrypt_key
        self.verification_token = verification_token
        self.app_id = app_id
        self.bot_open_id = bot_open_id
        self.client = client or httpx.Client(timeout=10)
        self.platform = platform  # when given, user messages are recorded there too

    def envelope(self, event_type: str, event: dict[str, Any], **header: Any) -> dict[str, Any]:
        return {
            "schema": "2.0",
            "header": {
                "event_id": header.get("event_id") or secrets.token_hex(16),
                "event_type": event_type,
                "create_time": str(int(time.time() * 1000)),
                "token": header.get("token", self.verification_token),
                "app_id": self.app_id,
                "tenant_key": "tenant_fake",
            },
            "event": event,
        }

    def message_envelope(
        self,
        text: str,
        *,
        chat_id: str = "oc_group",
        chat_type: str = "group",
        sender: str = "ou_user",
        mention_bot: bool = True,
        message_id: str | None = None,
        event_id: str | None = None,
        in_thread_of: str | None = None,
    ) -> dict[str, Any]:
        """``in_thread_of``: the user writes in the thread of that message (the platform
        must know it: a fake platform records where the thread is)."""
        mentions = []
        if mention_bot and chat_type == "group":
            text = f"@_user_1 {text}"
            mentions = [
                {
                    "key": "@_user_1",
                    "id": {"open_id": self.bot_open_id},
                    "name": "CloudOps",
                    "tenant_key": "tenant_fake",
                }
            ]
        message_id = message_id or "om_" + secrets.token_hex(12)
        root_id = thread_id = ""
        if self.platform is not None:
            written = self.platform.inject_user_message(
                chat_id, text, sender, message_id, in_thread_of=in_thread_of
            )
            root_id, thread_id = written.root_id, written.thread_id
        message = {
            "message_id": message_id,
            "root_id": root_id,
            "parent_id": in_thread_of or "",
            "create_time": str(int(time.time() * 1000)),
            "chat_id": chat_id,
            "thread_id": thread_id,
            "chat_type": chat_type,
            "message_type": "text",
            "content": json.dumps({"text": text}, ensure_ascii=False),
            "mentions": mentions,
        }
        event = {
            "sender": {
                "sender_id": {"open_id": sender},
                "sender_type": "user",
                "tenant_key": "tenant_fake",
            },
            "message": message,
        }
        return self.envelope("im.message.receive_v1", event, event_id=event_id)

    def card_envelope(
        self,
        value: dict[str, Any],
        *,
        operator: str = "ou_user",
        chat_id: str = "oc_group",
        message_id: str = "om_card",
        event_id: str | None = None,
        form_value: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        action: dict[str, Any] = {"value": value, "tag": "button"}
        if form_value is not None:
            action["form_value"] = form_value
        event = {
            "operator": {"open_id": operator, "tenant_key": "tenant_fake"},
            "token": "c-" + secrets.token_hex(16),
            "host": "im_message",
            "action": action,
            "context": {"open_message_id": message_id, "open_chat_id": chat_id},
        }
        return self.envelope("card.action.trigger", event, event_id=event_id)

    def wire(
        self, payload: dict[str, Any], *, timestamp: int | None = None, signed: bool = True
    ) -> tuple[bytes, dict[str, str]]:
        """Encrypt and sign ``payload`` into the body and headers Feishu would send."""
        plain = json.dumps(payload, ensure_ascii=False).encode()
        body = json.dumps({"encrypt": encrypt(plain, self.encrypt_key)}).encode()
        headers = {"Content-Type": "application/json"}
        if signed:
            stamp = str(int(time.time()) if timestamp is None else timestamp)
            nonce = secrets.token_hex(8)
            headers.update(
                {
                    "X-Lark-Request-Timestamp": stamp,
                    "X-Lark-Request-Nonce": nonce,
                    "X-Lark-Signature": sign(stamp, nonce, self.encrypt_key, body),
                }
            )
        return body, headers

    def post(self, payload: dict[str, Any], **wire_options: Any) -> httpx.Response:
        body, headers = self.wire(payload, **wire_options)
        return self.client.post(self.url, content=body, headers=headers)

    def post_raw(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        return self.client.post(self.url, content=body, headers=headers)

    def say(self, text: str, **options: Any) -> httpx.Response:
        return self.post(self.message_envelope(text, **options))

    def click(self, value: dict[str, Any], **options: Any) -> httpx.Response:
        return self.post(self.card_envelope(value, **options))

    def url_verification(self, challenge: str, token: str | None = None) -> httpx.Response:
        payload = {
            "challenge": challenge,
            "token": token or self.verification_token,
            "type": "url_verification",
        }
        return self.post(payload, signed=False)
