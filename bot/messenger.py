"""Everything the bot sends to Feishu, through lark-oapi.

Calls use the SDK's synchronous methods in worker threads: its async methods build a new
HTTP client (and TLS context) per call on the event loop, which delays event acks.

Retries rate limits (HTTP 429, codes 99991400 and 230020) and 5xx with backoff,
refreshes the tenant token once on 99991663/99991661, paces sends per chat (and reads of
messages and their files per endpoint), and sends with an idempotent ``uuid`` so a
retried logical send never posts twice.

Every card is fitted before it goes out (send, reply, patch): over the byte or element
budget it is shrunk, and a card still breaking a rule is replaced by a small fallback
card, so Feishu never sees an invalid card. A patch refused with "card action is lock"
(the click's own update is in flight) is retried; a patch to a card older than 14 days
(230031) becomes a reply to that card carrying the new one.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
from dataclasses import dataclass, field, replace
from typing import Any

import lark_oapi as lark
import requests
import structlog
from lark_oapi.api.im.v1 import (
    CreateChatMembersRequest,
    CreateChatMembersRequestBody,
    CreateChatRequest,
    CreateChatRequestBody,
    CreateFileRequest,
    CreateFileRequestBody,
    CreateImageRequest,
    CreateImageRequestBody,
    CreateMessageRequest,
    CreateMessageRequestBody,
    GetMessageRequest,
    GetMessageResourceRequest,
    ListMessageRequest,
    PatchMessageRequest,
    PatchMessageRequestBody,
    ReplyMessageRequest,
    ReplyMessageRequestBody,
    UpdateChatRequest,
    UpdateChatRequestBody,
    UrgentAppMessageRequest,
    UrgentPhoneMessageRequest,
    UrgentReceivers,
    UrgentSmsMessageRequest,
)
from lark_oapi.core.token import TokenManager
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from bot.card_successors import CardSuccessors, MemorySuccessors, latest
from bot.cards.cluster_tag import about_cluster
from bot.cards.fitting import BUDGET_BYTES, BUDGET_ELEMENTS, card_lang, fit_card
from bot.cards.validation import card_json
from bot.metrics import Metrics
from bot.pacing import LocalPacer, Pacer
from messages import t

__all__ = [
    "Attachment",
    "Messenger",
    "FeishuError",
    "FeishuRetryable",
    "Payload",
    "ThreadMessage",
    "build_client",
    "uuid_for",
]

RATE_LIMIT_CODES = {99991400, 230020}
TOKEN_CODES = {99991663, 99991661}
CARD_CONTENT_FAILED = 230099  # sub-code 11310 "card action is lock": an update in flight
CARD_LOCKED = "card action is lock"
TOO_OLD_TO_UPDATE = 230031  # "Message can only be modified within 14 days after sending."
log = structlog.get_logger(__name__)


class FeishuError(RuntimeError):
    def __init__(self, operation: str, code: int | None, msg: str, status: int | None) -> None:
        super().__init__(f"Feishu {operation} failed: code={code} status={status} {msg}")
        self.operation = operation
        self.code = code
        self.status = status


class FeishuRetryable(FeishuError):
    pass


def build_client(app_id: str, app_secret: str, domain: str, timeout: float = 10) -> lark.Client:
    return (
        lark.Client.builder()
        .app_id(app_id)
        .app_secret(app_secret)
        .domain(domain)
        .timeout(timeout)
        .log_level(lark.LogLevel.WARNING)
        .build()
    )


def uuid_for(*parts: str) -> str:
    """A Feishu send ``uuid`` (≤ 50 chars) derived from a logical send's identity."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


@dataclass(frozen=True)
class Attachment:
    """A file uploaded with ``Messenger.upload_file``, sent as a file message."""

    file_key: str


Payload = dict[str, Any] | str | Attachment


@dataclass(frozen=True)
class ThreadMessage:
    """One message of a thread as ``Messenger.thread_messages`` lists it."""

    message_id: str
    sender_type: str  # "app" (a bot) or "user"
    msg_type: str
    content: dict[str, Any]


def _content(payload: Payload) -> tuple[str, str]:
    if isinstance(payload, str):
        return "text", json.dumps({"text": payload}, ensure_ascii=False)
    if isinstance(payload, Attachment):
        return "file", json.dumps({"file_key": payload.file_key})
    return "interactive", card_json(payload)


@dataclass
class Messenger:
    client: lark.Client
    app_id: str
    metrics: Metrics
    pacer: Pacer
    attempts: int = 5
    max_wait: float = 8.0
    card_max_bytes: int = BUDGET_BYTES
    card_max_elements: int = BUDGET_ELEMENTS
    # Too-old cards and the replies that now show them (StoredSuccessors in the app).
    successors: CardSuccessors = field(default_factory=MemorySuccessors)
    # The cluster the cards sent through this messenger are about (several clusters
    # configured): named in the header and in every button (``bot.cards.cluster_tag``).
    cluster: str | None = None

    @classmethod
    def create(
        cls, app_id: str, app_secret: str, domain: str, metrics: Metrics, chat_qps: float = 5
    ) -> Messenger:
        return cls(build_client(app_id, app_secret, domain), app_id, metrics, LocalPacer(chat_qps))

    async def send(
        self,
        receive_id: str,
        payload: Payload,
        *,
        uuid: str | None = None,
        id_type: str = "chat_id",
    ) -> str:
        msg_type, content = _content(self._fit(payload, "send"))
        body = CreateMessageRequestBody.builder().receive_id(receive_id).msg_type(msg_type)
        body = body.content(content)
        if uuid:
            body = body.uuid(uuid)
        request = (
            CreateMessageRequest.builder().receive_id_type(id_type).request_body(body.build())
        ).build()
        await self.pacer.wait(receive_id)
        resp = await self._call("send", lambda: self.client.im.v1.message.create(request))
        return str(resp.data.message_id)

    async def reply(
        self,
        message_id: str,
        payload: Payload,
        *,
        uuid: str | None = None,
        in_thread: bool = False,
        chat_id: str = "",
    ) -> str:
        msg_type, content = _content(self._fit(payload, "reply"))
        body = ReplyMessageRequestBody.builder().msg_type(msg_type).content(content)
        body = body.reply_in_thread(in_thread)
        if uuid:
            body = body.uuid(uuid)
        request = (
            ReplyMessageRequest.builder().message_id(message_id).request_body(body.build())
        ).build()
        await self.pacer.wait(chat_id or message_id)
        resp = await self._call("reply", lambda: self.client.im.v1.message.reply(request))
        return str(resp.data.message_id)

    async def patch(self, message_id: str, card: dict[str, Any], *, chat_id: str = "") -> str:
        """Update a sent card; returns the id of the message that now shows it (a new
        reply to the old card when that card is too old to update)."""
        target = await latest(self.successors, message_id)
        body = PatchMessageRequestBody.builder().content(card_json(self._fit_card(card, "patch")))
        request = (
            PatchMessageRequest.builder().message_id(target).request_body(body.build())
        ).build()
        await self.pacer.wait(chat_id or target)
        try:
            await self._call("patch", lambda: self.client.im.v1.message.patch(request))
        except FeishuError as exc:
            if exc.code != TOO_OLD_TO_UPDATE:
                raise
            return await self._replace_old(target, card, chat_id)
        return target

    async def _replace_old(self, message_id: str, card: dict[str, Any], chat_id: str) -> str:
        """Answer a too-old card with a reply (Feishu shows it linked to the old one)."""
        note = {
            "tag": "markdown",
            "content": t("cards.replaced", card_lang(card)),
            "text_size": "notation",
        }
        successor = {**card, "body": {**card.get("body", {})}}
        successor["body"]["elements"] = [note, *card.get("body", {}).get("elements", [])]
        new_id = await self.reply(
            message_id,
            successor,
            uuid=uuid_for("replaces", message_id, card_json(card)),
            chat_id=chat_id,
        )
        await self.successors.put(message_id, new_id)
        log.info("card_replaced_too_old", kind="patch", old=message_id, new=new_id)
        return new_id

    def _fit(self, payload: Payload, operation: str) -> Payload:
        return self._fit_card(payload, operation) if isinstance(payload, dict) else payload

    def about(self, cluster: str) -> Messenger:
        """This messenger (same client, pacing and successors) for cards about ``cluster``."""
        return replace(self, cluster=cluster)

    def _fit_card(self, card: dict[str, Any], operation: str) -> dict[str, Any]:
        if self.cluster:
            card = about_cluster(card, self.cluster)
        fitted = fit_card(card, max_bytes=self.card_max_bytes, max_elements=self.card_max_elements)
        if fitted.outcome != "fits":
            log.warning(
                "card_shrunk",
                operation=operation,
                kind=fitted.kind,
                outcome=fitted.outcome,
                bytes_before=fitted.bytes_before,
                bytes_after=fitted.bytes_after,
                elements_before=fitted.elements_before,
                elements_after=fitted.elements_after,
            )
        return fitted.card

    async def urgent(self, message_id: str, via: str, open_ids: list[str]) -> list[str]:
        """Feishu's urgent notification (``via``: urgent_app, urgent_sms or urgent_phone) on
        a message the bot sent; returns the open_ids Feishu could not reach."""
        requests_by_via: dict[str, Any] = {
            "urgent_app": (UrgentAppMessageRequest, self.client.im.v1.message.urgent_app),
            "urgent_sms": (UrgentSmsMessageRequest, self.client.im.v1.message.urgent_sms),
            "urgent_phone": (UrgentPhoneMessageRequest, self.client.im.v1.message.urgent_phone),
        }
        kind, call = requests_by_via[via]
        body = UrgentReceivers.builder().user_id_list(open_ids).build()
        request = (
            kind.builder().message_id(message_id).user_id_type("open_id").request_body(body)
        ).build()
        resp = await self._call(via, lambda: call(request))
        return [str(i) for i in (getattr(resp.data, "invalid_user_id_list", None) or [])]

    async def create_chat(
        self, name: str, description: str, open_ids: list[str], *, uuid: str
    ) -> str:
        """A new group with the bot and ``open_ids`` in it (``im.v1.chat.create``; the
        ``uuid`` makes a retried create return the same group); returns its chat_id."""
        body = (
            CreateChatRequestBody.builder()
            .name(name)
            .description(description)
            .user_id_list(open_ids)
            .chat_mode("group")
            .chat_type("private")
            .build()
        )
        request = (
            CreateChatRequest.builder()
            .user_id_type("open_id")
            .set_bot_manager(True)
            .uuid(uuid)
            .request_body(body)
            .build()
        )
        await self.pacer.wait("chat.create")
        resp = await self._call("chat_create", lambda: self.client.im.v1.chat.create(request))
        return str(resp.data.chat_id)

    async def update_chat(self, chat_id: str, name: str, description: str) -> None:
        body = UpdateChatRequestBody.builder().name(name).description(description).build()
        request = UpdateChatRequest.builder().chat_id(chat_id).request_body(body).build()
        await self.pacer.wait(chat_id)
        await self._call("chat_update", lambda: self.client.im.v1.chat.update(request))

    async def add_chat_members(self, chat_id: str, open_ids: list[str]) -> None:
        body = CreateChatMembersRequestBody.builder().id_list(open_ids).build()
        request = (
            CreateChatMembersRequest.builder()
            .chat_id(chat_id)
            .member_id_type("open_id")
            .request_body(body)
            .build()
        )
        await self.pacer.wait(chat_id)
        await self._call("chat_members", lambda: self.client.im.v1.chat_members.create(request))

    async def upload_file(self, data: bytes, name: str) -> Attachment:
        """Upload ``data`` as a file named ``name`` (``im.v1.file``, type stream), ready to
        send or reply with."""
        part: Any = (name, io.BytesIO(data), "application/octet-stream")
        body = CreateFileRequestBody.builder().file_type("stream").file_name(name).file(part)
        request = CreateFileRequest.builder().request_body(body.build()).build()
        resp = await self._call("upload_file", lambda: self.client.im.v1.file.create(request))
        return Attachment(str(resp.data.file_key))

    async def upload_image(self, data: bytes, name: str = "chart.png") -> str:
        # A (filename, stream, type) part: the SDK's multipart encoder then sends a file
        # part with a name; a bare stream would go out as a nameless form field.
        part: Any = (name, io.BytesIO(data), "application/octet-stream")
        body = CreateImageRequestBody.builder().image_type("message").image(part).build()
        request = CreateImageRequest.builder().request_body(body).build()
        resp = await self._call("upload_image", lambda: self.client.im.v1.image.create(request))
        return str(resp.data.image_key)

    async def message_content(self, message_id: str) -> tuple[str, dict[str, Any]] | None:
        """The type and parsed content of a message (``im.v1.message``); None when Feishu
        returns no such item."""
        request = GetMessageRequest.builder().message_id(message_id).build()
        await self.pacer.wait("read:message")
        resp = await self._call("get_message", lambda: self.client.im.v1.message.get(request))
        items = (resp.data.items if resp.data else None) or []
        if not items:
            return None
        body = items[0].body
        content = json.loads((body.content if body else None) or "{}")
        return str(items[0].msg_type or ""), content if isinstance(content, dict) else {}

    async def thread_messages(self, thread_id: str, limit: int = 20) -> list[ThreadMessage]:
        """The newest ``limit`` messages of a thread (``im.v1.message.list`` with
        ``container_id_type=thread``), oldest first."""
        request = (
            ListMessageRequest.builder()
            .container_id_type("thread")
            .container_id(thread_id)
            .sort_type("ByCreateTimeDesc")
            .page_size(max(1, min(50, limit)))
            .build()
        )
        await self.pacer.wait("read:message")
        resp = await self._call("list_messages", lambda: self.client.im.v1.message.list(request))
        found: list[ThreadMessage] = []
        for item in (resp.data.items if resp.data else None) or []:
            try:
                content = json.loads(item.body.content) if item.body and item.body.content else {}
            except json.JSONDecodeError:
                content = {}
            found.append(
                ThreadMessage(
                    str(item.message_id or ""),
                    str(item.sender.sender_type) if item.sender else "",
                    str(item.msg_type or ""),
                    content if isinstance(content, dict) else {},
                )
            )
        return found[::-1]

    async def download_file(self, message_id: str, file_key: str) -> bytes:
        """A file sent in a message (``im.v1.message_resource``)."""
        request = (
            GetMessageResourceRequest.builder()
            .message_id(message_id)
            .file_key(file_key)
            .type("file")
            .build()
        )
        await self.pacer.wait("read:message_resource")
        resp = await self._call(
            "download_file", lambda: self.client.im.v1.message_resource.get(request)
        )
        if resp.file is None:
            status = resp.raw.status_code if resp.raw is not None else None
            raise FeishuError("download_file", resp.code, "no file in the answer", status)
        data: bytes = resp.file.read()
        return data

    async def bot_open_id(self) -> str:
        request = (
            lark.BaseRequest.builder()
            .http_method(lark.HttpMethod.GET)
            .uri("/open-apis/bot/v3/info")
            .token_types({lark.AccessTokenType.TENANT})
            .build()
        )
        resp = await self._call("bot_info", lambda: self.client.request(request))
        data = json.loads(resp.raw.content or b"{}")
        return str((data.get("bot") or {}).get("open_id", ""))

    def _forget_token(self) -> None:
        TokenManager.cache.set(f"self_tenant_token:{self.app_id}", "", 0)

    async def _call(self, operation: str, fn: Any) -> Any:
        refreshed = False
        async for attempt in AsyncRetrying(
            retry=retry_if_exception_type(FeishuRetryable),
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=0.2, max=self.max_wait),
            reraise=True,
        ):
            with attempt:
                try:
                    resp = await asyncio.to_thread(fn)
                except (requests.ConnectionError, requests.Timeout) as exc:
                    # Safe to repeat: sends carry an idempotent uuid, patches are idempotent.
                    self.metrics.feishu_errors.labels(code="network").inc()
                    raise FeishuRetryable(operation, None, type(exc).__name__, None) from exc
                status = resp.raw.status_code if resp.raw is not None else None
                code = resp.code
                if code == 0 and (status is None or status < 400):
                    return resp
                self.metrics.feishu_errors.labels(
                    code=str(code if code is not None else status)
                ).inc()
                if code in TOKEN_CODES and not refreshed:
                    refreshed = True
                    self._forget_token()
                    raise FeishuRetryable(operation, code, str(resp.msg), status)
                locked = code == CARD_CONTENT_FAILED and CARD_LOCKED in str(resp.msg)
                if code in RATE_LIMIT_CODES or locked or status == 429 or (status or 0) >= 500:
                    raise FeishuRetryable(operation, code, str(resp.msg), status)
                raise FeishuError(operation, code, str(resp.msg), status)
        raise AssertionError("unreachable")
