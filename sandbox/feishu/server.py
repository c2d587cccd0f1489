"""The fake open platform's HTTP API (FastAPI on a loopback port, in a background thread)."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from bot.serving import ThreadedServer
from sandbox.feishu.chats import CHAT_SCOPE, add_chat_routes
from sandbox.feishu.records import FakeMessage, Fault, Ledger, Recorded

__all__ = ["FakePlatform"]


# What the fake tenant granted the app by default: every scope the README asks for.
DEFAULT_SCOPES = (
    "im:message",
    "im:message:send_as_bot",
    "im:message.group_at_msg:readonly",
    "im:message.p2p_msg:readonly",
    "im:resource",
    "im:chat:readonly",
)
MAX_CARD_BYTES = 30 * 1024
PATCHABLE_SECONDS = 14 * 24 * 3600
CARD_LOCKED_MSG = "Failed to create card content, ext=ErrCode: 11310; ErrMsg: card action is lock; "


# Feishu's urgent notifications and the scope each needs (granted by default); without it
# the call fails with 230027 "Lack of necessary permissions".
URGENT_SCOPES = {
    "urgent_app": "im:message.urgent",
    "urgent_sms": "im:message.urgent:sms",
    "urgent_phone": "im:message.urgent:phone",
}


def _ok(data: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse({"code": 0, "msg": "success", "data": data or {}})


def _too_long(body: dict[str, Any]) -> JSONResponse | None:
    """Feishu's 230025 for a card or post over 30 KB (measured on the content string)."""
    content = str(body.get("content") or "")
    limit = MAX_CARD_BYTES if body.get("msg_type", "interactive") != "text" else 150 * 1024
    if len(content.encode("utf-8")) > limit:
        msg = "The length of the message content reaches its limit."
        return JSONResponse({"code": 230025, "msg": msg}, 400)
    return None


class FakePlatform:
    def __init__(
        self,
        *,
        app_id: str = "cli_fake_app",
        app_secret: str = "fake-secret",
        bot_open_id: str = "ou_bot",
        port: int | None = None,
    ) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.bot_open_id = bot_open_id
        self.ledger = Ledger()
        # open_id -> open_department_ids, for GET /contact/v3/users (unknown: no permission)
        self.departments: dict[str, list[str]] = {}
        self.files: dict[tuple[str, str], tuple[str, bytes]] = {}
        self.uploads: dict[str, tuple[str, bytes]] = {}  # file_key → (name, bytes) the bot sent
        self.granted_scopes: set[str] = {*DEFAULT_SCOPES, *URGENT_SCOPES.values(), CHAT_SCOPE}
        self.longconn_enabled = True  # whether /callback/ws/endpoint hands out a URL
        self.app = self._build()
        self._server = ThreadedServer(self.app, port, lifespan="off")

    @property
    def url(self) -> str:
        return self._server.url

    # -- fault injection -------------------------------------------------------------
    def fail_next(
        self, path_contains: str, *, status: int = 429, code: int = 99991400, times: int = 1
    ) -> None:
        with self.ledger.lock:
            self.ledger.faults.append(Fault(path_contains, status, code, times))

    def revoke_scope(self, name: str) -> None:
        """The tenant no longer grants ``name`` (listed as not granted by the scopes API)."""
        with self.ledger.lock:
            self.granted_scopes.discard(name)

    def lock_card_once(self, message_id: str, times: int = 1) -> None:
        """The next ``times`` patches of ``message_id`` fail as while a click's own update
        is in flight: code 230099, sub-code 11310 "card action is lock"."""
        with self.ledger.lock:
            self.ledger.locked[message_id] = times

    def age_message(self, message_id: str, days: float) -> None:
        """Make a message ``days`` old (a patch after 14 days fails with 230031)."""
        with self.ledger.lock:
            self.ledger.messages[message_id].created -= days * 24 * 3600

    def expire_tokens(self) -> None:
        """Every token issued so far becomes invalid (as after a secret rotation)."""
        with self.ledger.lock:
            self.ledger.valid_tokens.clear()

    def inject_user_message(
        self,
        chat_id: str,
        text: str,
        sender: str,
        message_id: str | None = None,
        *,
        in_thread_of: str | None = None,
    ) -> FakeMessage:
        """Record a message a user wrote (so the bot can reply to it); ``in_thread_of``:
        written in that message's thread (opened on it if it has none)."""
        msg = FakeMessage(
            message_id or "om_" + secrets.token_hex(12),
            chat_id,
            "text",
            {"text": text},
            sender,
            parent_id=in_thread_of or "",
            seq=self.ledger.next_seq(),
        )
        with self.ledger.lock:
            above = self.ledger.messages.get(in_thread_of) if in_thread_of else None
            if above is not None:
                if not above.thread_id:
                    above.thread_id = "omt_" + secrets.token_hex(8)
                    above.root_id = above.message_id
                msg.thread_id, msg.root_id = above.thread_id, above.root_id
            self.ledger.messages[msg.message_id] = msg
        return msg

    def add_file(
        self,
        message_id: str,
        file_key: str,
        name: str,
        data: bytes,
        *,
        chat_id: str = "oc_p2p",
        sender: str = "ou_user",
    ) -> FakeMessage:
        """Record a file message a user sent; its bytes are served as a message resource."""
        content = {"file_key": file_key, "file_name": name}
        msg = FakeMessage(message_id, chat_id, "file", content, sender, seq=self.ledger.next_seq())
        with self.ledger.lock:
            self.ledger.messages[message_id] = msg
            self.files[(message_id, file_key)] = (name, data)
        return msg

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> FakePlatform:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> FakePlatform:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- API -------------------------------------------------------------------------
    def _build(self) -> FastAPI:
        app = FastAPI()
        ledger = self.ledger

        @app.middleware("http")
        async def record(request: Request, call_next: Any) -> Any:
            raw = await request.body()
            try:
                body: Any = json.loads(raw) if raw else None
            except (json.JSONDecodeError, UnicodeDecodeError):
                body = {"_bytes": len(raw)}
            path = request.url.path
            fault = ledger.take_fault(path) if path.startswith("/open-apis/im") else None
            if fault:
                response: Any = JSONResponse(
                    {"code": fault.code, "msg": "injected fault"},
                    status_code=fault.status,
                    headers=fault.headers,
                )
            elif path.startswith(
                ("/open-apis/im", "/open-apis/bot", "/open-apis/contact", "/open-apis/application")
            ):
                token = request.headers.get("authorization", "").removeprefix("Bearer ")
                with ledger.lock:
                    valid = token in ledger.valid_tokens
                response = (
                    (await call_next(request))
                    if valid
                    else JSONResponse(
                        {"code": 99991663, "msg": "Invalid access token for authorization"},
                        status_code=400,
                    )
                )
            else:
                response = await call_next(request)
            with ledger.lock:
                ledger.requests.append(
                    Recorded(
                        request.method, path, dict(request.query_params), body, response.status_code
                    )
                )
            return response

        @app.post("/open-apis/auth/v3/tenant_access_token/internal")
        @app.post("/open-apis/auth/v3/app_access_token/internal")
        async def token(request: Request) -> JSONResponse:
            body = await request.json()
            if body.get("app_id") != self.app_id or body.get("app_secret") != self.app_secret:
                return JSONResponse({"code": 10014, "msg": "app secret invalid"})
            with ledger.lock:
                ledger.tokens_issued += 1
                value = f"t-fake-{ledger.tokens_issued}-{secrets.token_hex(4)}"
                ledger.valid_tokens.add(value)
            return JSONResponse(
                {
                    "code": 0,
                    "msg": "ok",
                    "tenant_access_token": value,
                    "app_access_token": value,
                    "expire": 7200,
                }
            )

        @app.get("/open-apis/contact/v3/users/{user_id}")
        async def user(user_id: str, user_id_type: str = "open_id") -> JSONResponse:
            found = self.departments.get(user_id) if user_id_type == "open_id" else None
            if found is None:  # as Feishu answers outside the app's contact range
                return JSONResponse({"code": 40013, "msg": "no permission for this user"})
            data = {"user": {"open_id": user_id, "department_ids": list(found)}}
            return JSONResponse({"code": 0, "msg": "ok", "data": data})

        @app.get("/open-apis/bot/v3/info")
        async def bot_info() -> JSONResponse:
            return JSONResponse(
                {
                    "code": 0,
                    "msg": "ok",
                    "bot": {
                        "open_id": self.bot_open_id,
                        "app_name": "CloudOps",
                        "activate_status": 2,
                    },
                }
            )

        @app.get("/open-apis/application/v6/scopes")
        async def scopes() -> JSONResponse:
            with ledger.lock:
                granted = set(self.granted_scopes)
            names = sorted(granted | set(DEFAULT_SCOPES))
            items = [
                {"scope_name": n, "grant_status": 1 if n in granted else 2, "scope_type": "tenant"}
                for n in names
            ]
            return _ok({"scopes": items})

        @app.post("/callback/ws/endpoint")
        async def ws_endpoint(request: Request) -> JSONResponse:
            body = await request.json()
            if body.get("AppID") != self.app_id or body.get("AppSecret") != self.app_secret:
                return JSONResponse({"code": 1000040343, "msg": "app secret invalid"})
            if not self.longconn_enabled:
                return JSONResponse({"code": 1000040350, "msg": "long connection not enabled"})
            url = self.url.replace("http", "ws", 1) + "/ws?device_id=fake"
            return JSONResponse({"code": 0, "msg": "ok", "data": {"URL": url, "ClientConfig": {}}})

        def store(
            chat_id: str, body: dict[str, Any], parent: str = "", in_thread: bool = False
        ) -> JSONResponse:
            refused = _too_long(body)
            if refused is not None:
                return refused
            uuid = str(body.get("uuid") or "")
            with ledger.lock:
                if uuid:
                    for existing in ledger.messages.values():
                        if existing.uuid == uuid:
                            return _ok(self._message_json(existing))
                try:
                    content = json.loads(body.get("content") or "{}")
                except json.JSONDecodeError:
                    return JSONResponse({"code": 230001, "msg": "invalid content"}, 400)
                msg = FakeMessage(
                    "om_" + secrets.token_hex(12),
                    chat_id,
                    str(body.get("msg_type")),
                    content,
                    "bot",
                    parent,
                    uuid,
                    seq=ledger.next_seq(),
                )
                above = ledger.messages.get(parent) if parent else None
                if above is not None and (above.thread_id or in_thread):
                    if not above.thread_id:  # the parent becomes the thread's root
                        above.thread_id = "omt_" + secrets.token_hex(8)
                        above.root_id = above.message_id
                    msg.thread_id = above.thread_id
                    msg.root_id = above.root_id or above.message_id
                ledger.messages[msg.message_id] = msg
            return _ok(self._message_json(msg))

        @app.post("/open-apis/im/v1/messages")
        async def create(request: Request, receive_id_type: str = "chat_id") -> JSONResponse:
            body = await request.json()
            return store(str(body.get("receive_id")), body)

        @app.post("/open-apis/im/v1/messages/{message_id}/reply")
        async def reply(message_id: str, request: Request) -> JSONResponse:
            with ledger.lock:
                parent = ledger.messages.get(message_id)
            if parent is None:  # as Feishu answers a reply to no (or a withdrawn) message
                return JSONResponse({"code": 230002, "msg": "message not found"}, 400)
            chat_id = parent.chat_id
            body = await request.json()
            return store(
                chat_id, body, parent=message_id, in_thread=bool(body.get("reply_in_thread"))
            )

        @app.patch("/open-apis/im/v1/messages/{message_id}")
        async def patch(message_id: str, request: Request) -> JSONResponse:
            body = await request.json()
            refused = _too_long(body)
            if refused is not None:
                return refused
            with ledger.lock:
                msg = ledger.messages.get(message_id)
                if msg is None or msg.msg_type != "interactive":
                    return JSONResponse({"code": 230002, "msg": "message not found"}, 400)
                if time.time() - msg.created > PATCHABLE_SECONDS:
                    too_old = "Message can only be modified within 14 days after sending."
                    return JSONResponse({"code": 230031, "msg": too_old}, 400)
                if ledger.locked.get(message_id, 0) > 0:
                    ledger.locked[message_id] -= 1
                    return JSONResponse({"code": 230099, "msg": CARD_LOCKED_MSG}, 400)
                msg.versions.append(msg.content)
                msg.content = json.loads(body.get("content") or "{}")
                msg.seq = ledger.next_seq()
            return _ok()

        @app.patch("/open-apis/im/v1/messages/{message_id}/{kind}")
        async def urgent(message_id: str, kind: str, request: Request) -> JSONResponse:
            if kind not in URGENT_SCOPES:
                return JSONResponse({"code": 404, "msg": "not found"}, 404)
            if request.query_params.get("user_id_type") not in ("open_id", "user_id", "union_id"):
                return JSONResponse({"code": 230001, "msg": "user_id_type is required"}, 400)
            body = await request.json()
            users = body.get("user_id_list") if isinstance(body, dict) else None
            if not isinstance(users, list) or not users:
                return JSONResponse({"code": 230001, "msg": "user_id_list is required"}, 400)
            with ledger.lock:
                granted = URGENT_SCOPES[kind] in self.granted_scopes
                msg = ledger.messages.get(message_id)
            if not granted:
                return JSONResponse({"code": 230027, "msg": "Lack of necessary permissions."}, 400)
            if msg is None:
                return JSONResponse({"code": 230002, "msg": "message not found"}, 400)
            if msg.sender != "bot":
                return JSONResponse({"code": 230012, "msg": "Bot is NOT the sender"}, 400)
            return _ok({"invalid_user_id_list": []})

        @app.get("/open-apis/im/v1/messages")
        async def listed(
            container_id_type: str,
            container_id: str,
            sort_type: str = "ByCreateTimeAsc",
            page_size: int = 20,
        ) -> JSONResponse:
            if container_id_type != "thread":  # chats: not needed by the bot
                return JSONResponse({"code": 230001, "msg": "unsupported container"}, 400)
            with ledger.lock:  # the ledger keeps messages in the order they were created
                found = [m for m in ledger.messages.values() if m.thread_id == container_id]
            if sort_type == "ByCreateTimeDesc":
                found.reverse()
            items = [self._message_json(m) for m in found[: max(1, min(50, page_size))]]
            return _ok({"items": items, "has_more": len(found) > len(items)})

        @app.get("/open-apis/im/v1/messages/{message_id}")
        async def get(message_id: str) -> JSONResponse:
            with ledger.lock:
                msg = ledger.messages.get(message_id)
            if msg is None:
                return JSONResponse({"code": 230002, "msg": "message not found"}, 400)
            return _ok({"items": [self._message_json(msg)]})

        @app.get("/open-apis/im/v1/messages/{message_id}/resources/{file_key}")
        async def resource(message_id: str, file_key: str) -> Response:
            with ledger.lock:
                found = self.files.get((message_id, file_key))
            if found is None:
                return JSONResponse({"code": 234003, "msg": "file not found"}, 400)
            name, data = found
            disposition = f"attachment; filename*=UTF-8''{quote(name)}"
            return Response(
                data,
                media_type="application/octet-stream",
                headers={"Content-Disposition": disposition},
            )

        add_chat_routes(app, ledger, self._granted)

        @app.post("/open-apis/im/v1/files")
        async def upload_file(request: Request) -> JSONResponse:
            form = await request.form()
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                return JSONResponse({"code": 234001, "msg": "file missing"}, 400)
            key = "file_v2_" + secrets.token_hex(8)
            data = await upload.read()
            with ledger.lock:
                self.uploads[key] = (str(form.get("file_name") or upload.filename or ""), data)
            return _ok({"file_key": key})

        @app.post("/open-apis/im/v1/images")
        async def image(request: Request) -> JSONResponse:
            form = await request.form()
            upload = form.get("image")
            if upload is None or isinstance(upload, str):
                return JSONResponse({"code": 234001, "msg": "image missing"}, 400)
            return _ok({"image_key": "img_" + secrets.token_hex(8)})

        return app

    def _granted(self, scope: str) -> bool:
        with self.ledger.lock:
            return scope in self.granted_scopes

    @staticmethod
    def _message_json(msg: FakeMessage) -> dict[str, Any]:
        return {
            "message_id": msg.message_id,
            "chat_id": msg.chat_id,
            "msg_type": msg.msg_type,
            "parent_id": msg.parent_id,
            "root_id": msg.root_id,
            "thread_id": msg.thread_id,
            "sender": {
                "id": msg.sender,
                "id_type": "app_id" if msg.sender == "bot" else "open_id",
                "sender_type": "app" if msg.sender == "bot" else "user",
            },
            "body": {"content": json.dumps(msg.content, ensure_ascii=False)},
        }
