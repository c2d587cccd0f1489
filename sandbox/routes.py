"""The web chat's HTTP routes (sandbox only). Messages the page sends become REAL signed,
encrypted Feishu events posted to ``/feishu/events``; what the page shows is read back
from the fake platform's ledger, where the bot's replies and patches land."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field

from bot.services import Services
from messages import LANGUAGES
from sandbox.alert import sample_alert
from sandbox.feishu import EventSender, FakePlatform
from sandbox.gallery_samples import gallery_cards
from sandbox.ledger_view import messages_since, rooms_view
from sandbox.page_texts import page_texts
from sandbox.people import CHATS, PARTNER_NAME, PARTNER_OPEN_ID, USER_OPEN_ID, chat_of
from skills.oncall.teams import who_is_on_call

__all__ = ["ChatBridge", "sandbox_router", "STATIC"]

STATIC = Path(__file__).with_name("static")
_STATIC_FILES = {p.name for p in STATIC.iterdir() if p.is_file() and p.suffix != ".html"}
_MENTION = re.compile(r"^\s*@(bot|cloudops)\b\s*", re.IGNORECASE)


@dataclass
class ChatBridge:
    platform: FakePlatform
    sender: EventSender
    bot_url: str
    alert_token: str
    lang: str
    metrics_engine: str
    alert_pod: str = "payments-0"
    services: Services | None = None


class SayBody(BaseModel):
    chat: str = Field(pattern=r"^(group|p2p|oc_[A-Za-z0-9_]{1,64})$")  # or a war room's id
    text: str = Field(min_length=1, max_length=4000)


class ClickBody(BaseModel):
    message_id: str
    value: dict[str, Any]
    form_value: dict[str, Any] | None = None


async def _deliver(bridge: ChatBridge, payload: dict[str, Any]) -> httpx.Response:
    body, headers = bridge.sender.wire(payload)
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.post(bridge.sender.url, content=body, headers=headers)


async def _has_alert_route(bridge: ChatBridge) -> bool:
    """Does this build serve ``POST /alertmanager``? (Unauthenticated: 401/503, never 404.)"""
    async with httpx.AsyncClient(timeout=5) as client:
        probe = await client.post(f"{bridge.bot_url}/alertmanager", content=b"")
    return probe.status_code not in (404, 405)


def _chat_id(bridge: ChatBridge, chat: str) -> str:
    """The ledger chat of a page chat: ``group``, ``p2p`` or a war room the bot created."""
    if chat in CHATS:
        return CHATS[chat]
    with bridge.platform.ledger.lock:
        known = chat in bridge.platform.ledger.chats
    if not known:
        raise HTTPException(404, "no such chat")
    return chat


def sandbox_router(bridge: ChatBridge) -> APIRouter:
    router = APIRouter()

    @router.get("/sandbox", response_class=HTMLResponse)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @router.get("/sandbox/gallery", response_class=HTMLResponse)
    async def gallery_page() -> FileResponse:
        return FileResponse(STATIC / "gallery.html", media_type="text/html")

    @router.get("/sandbox/api/gallery")
    async def gallery(lang: str | None = None) -> dict[str, Any]:
        """Every card builder's sample card in ``lang`` (default: the sandbox's language)."""
        chosen = lang or bridge.lang
        if chosen not in LANGUAGES:
            raise HTTPException(404, f"no such language: {chosen}")
        cards = await asyncio.to_thread(gallery_cards, chosen)
        return {
            "lang": chosen,
            "other": next(x for x in LANGUAGES if x != chosen),
            "texts": page_texts(chosen),
            "cards": [{"builder": c.builder, "state": c.state, "card": c.card} for c in cards],
        }

    @router.get("/sandbox/static/{name}")
    async def static(name: str) -> FileResponse:
        if name not in _STATIC_FILES:
            raise HTTPException(404, "no such file")
        return FileResponse(STATIC / name)

    @router.get("/sandbox/api/info")
    async def info() -> dict[str, Any]:
        return {
            "lang": bridge.lang,
            "texts": page_texts(bridge.lang),
            "user": USER_OPEN_ID,
            "people": {PARTNER_OPEN_ID: PARTNER_NAME},
            "alerts": await _has_alert_route(bridge),
            "metrics": bridge.metrics_engine,
            "cluster": bool(bridge.services and bridge.services.cluster is not None),
        }

    @router.get("/sandbox/api/oncall")
    async def oncall() -> dict[str, Any]:
        """Who is on call now and next for each configured team (the page's rota)."""
        services = bridge.services
        if services is None:
            return {"teams": []}
        now = services.clock()
        teams = []
        for team in sorted(services.settings.oncall.teams):
            found = await who_is_on_call(services, team, now)
            if found is not None:
                teams.append(
                    {
                        "team": team,
                        "current": found.current,
                        "next": found.next,
                        "handover": found.handover.isoformat(),
                    }
                )
        return {"teams": teams}

    @router.get("/sandbox/api/messages")
    async def messages(since: int = 0) -> dict[str, Any]:
        ledger = bridge.platform.ledger
        with ledger.lock:
            everything = list(ledger.messages.values())
            rooms = list(ledger.chats.values())
            latest = ledger.seq
        shown = messages_since(everything, since, {r.chat_id for r in rooms})
        return {"seq": latest, "messages": shown, "rooms": rooms_view(rooms)}

    @router.post("/sandbox/api/say")
    async def say(body: SayBody) -> dict[str, Any]:
        text = body.text.strip()
        chat_id = _chat_id(bridge, body.chat)
        group = body.chat != "p2p"
        mention = group and (text.startswith("/") or _MENTION.match(text) is not None)
        if mention:
            text = _MENTION.sub("", text)
        envelope = bridge.sender.message_envelope(
            text,
            chat_id=chat_id,
            chat_type="group" if group else "p2p",
            sender=USER_OPEN_ID,
            mention_bot=mention,
        )
        delivered = await _deliver(bridge, envelope)
        message_id = envelope["event"]["message"]["message_id"]
        return {"status": delivered.status_code, "message_id": message_id}

    @router.post("/sandbox/api/click")
    async def click(body: ClickBody) -> dict[str, Any]:
        with bridge.platform.ledger.lock:
            message = bridge.platform.ledger.messages.get(body.message_id)
        chat = (chat_of(message.chat_id) or message.chat_id) if message else None
        if message is None or chat is None:
            raise HTTPException(404, "no such card")
        envelope = bridge.sender.card_envelope(
            body.value,
            operator=USER_OPEN_ID,
            chat_id=_chat_id(bridge, chat),
            message_id=body.message_id,
            form_value=body.form_value,
        )
        delivered = await _deliver(bridge, envelope)
        try:
            answer = delivered.json()
        except ValueError:
            answer = {}
        return {"status": delivered.status_code, **answer}

    @router.post("/sandbox/api/alert")
    async def alert() -> dict[str, Any]:
        if bridge.services is None or not await _has_alert_route(bridge):
            raise HTTPException(404, "this build of the bot has no /alertmanager route")
        now = bridge.services.clock()
        async with httpx.AsyncClient(timeout=10) as client:
            delivered = await client.post(
                f"{bridge.bot_url}/alertmanager",
                json=sample_alert(now, pod=bridge.alert_pod),
                headers={"Authorization": f"Bearer {bridge.alert_token}"},
            )
        try:
            answer = delivered.json()
        except ValueError:
            answer = {}
        return {"status": delivered.status_code, "answer": answer}

    return router
