"""The fake open platform's group APIs: create a group, add members, update its name.

Each needs the tenant to grant ``im:chat`` (``CHAT_SCOPE``); without it Feishu answers
99991672 "Access denied. One of the following scopes is required: [...]", HTTP 400.
A create with a ``uuid`` seen before returns the group it created then.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from sandbox.feishu.records import FakeChat, Ledger

__all__ = ["CHAT_SCOPE", "MISSING_SCOPE", "add_chat_routes"]

CHAT_SCOPE = "im:chat"
MISSING_SCOPE = 99991672


def _ok(data: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse({"code": 0, "msg": "success", "data": data or {}})


def _refused() -> JSONResponse:
    msg = f"Access denied. One of the following scopes is required: [{CHAT_SCOPE}, im:chat:create]"
    body = {
        "code": MISSING_SCOPE,
        "msg": msg,
        "error": {
            "permission_violations": [{"type": "action_scope_required", "subject": CHAT_SCOPE}]
        },
    }
    return JSONResponse(body, status_code=400)


def _chat_json(chat: FakeChat) -> dict[str, Any]:
    return {"chat_id": chat.chat_id, "name": chat.name, "description": chat.description}


def _ids(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        return None
    return list(dict.fromkeys(value))


def add_chat_routes(app: FastAPI, ledger: Ledger, granted: Callable[[str], bool]) -> None:
    """Serve the group APIs on ``app``; ``granted(scope)`` says what the tenant grants."""

    def invalid(what: str) -> JSONResponse:
        return JSONResponse({"code": 232001, "msg": f"invalid request parameter: {what}"}, 400)

    @app.post("/open-apis/im/v1/chats")
    async def create(request: Request) -> JSONResponse:
        if not granted(CHAT_SCOPE):
            return _refused()
        if request.query_params.get("user_id_type", "open_id") != "open_id":
            return invalid("user_id_type")
        body = await request.json()
        members = _ids(body.get("user_id_list", []))
        if members is None or len(members) > 50:
            return invalid("user_id_list")
        uuid = str(request.query_params.get("uuid") or "")
        with ledger.lock:
            for existing in ledger.chats.values():
                if uuid and existing.uuid == uuid:
                    return _ok(_chat_json(existing))
            chat = FakeChat(
                "oc_" + secrets.token_hex(12),
                str(body.get("name") or ""),
                str(body.get("description") or ""),
                members,
                uuid,
                seq=ledger.next_seq(),
            )
            ledger.chats[chat.chat_id] = chat
        return _ok(_chat_json(chat))

    @app.put("/open-apis/im/v1/chats/{chat_id}")
    async def update(chat_id: str, request: Request) -> JSONResponse:
        if not granted(CHAT_SCOPE):
            return _refused()
        body = await request.json()
        with ledger.lock:
            chat = ledger.chats.get(chat_id)
            if chat is None:
                return JSONResponse({"code": 232006, "msg": "chat_id is invalid"}, 400)
            chat.name = str(body.get("name", chat.name))
            chat.description = str(body.get("description", chat.description))
            chat.seq = ledger.next_seq()
        return _ok()

    @app.post("/open-apis/im/v1/chats/{chat_id}/members")
    async def add_members(chat_id: str, request: Request) -> JSONResponse:
        if not granted(CHAT_SCOPE):
            return _refused()
        if request.query_params.get("member_id_type", "open_id") != "open_id":
            return invalid("member_id_type")
        ids = _ids((await request.json()).get("id_list"))
        if not ids:
            return invalid("id_list")
        with ledger.lock:
            chat = ledger.chats.get(chat_id)
            if chat is None:
                return JSONResponse({"code": 232006, "msg": "chat_id is invalid"}, 400)
            chat.members.extend(i for i in ids if i not in chat.members)
        return _ok({"invalid_id_list": [], "not_existed_id_list": []})

    @app.get("/open-apis/im/v1/chats/{chat_id}/members")
    async def members(chat_id: str) -> JSONResponse:
        with ledger.lock:
            chat = ledger.chats.get(chat_id)
            if chat is None:
                return JSONResponse({"code": 232006, "msg": "chat_id is invalid"}, 400)
            items = [{"member_id_type": "open_id", "member_id": m} for m in chat.members]
        return _ok({"items": items, "has_more": False, "member_total": len(items)})
