"""HTTP callback transport: ``POST /feishu/events`` for events and card callbacks.

lark-oapi's dispatcher does the URL challenge, decryption, token and signature checks.
Before it runs we check what it would choke on (JSON depth, header shapes) and the ±5
minute replay window; its refusals become 4xx, each logged once in one line (see
``bot.refusals``), and event types we do not handle are acknowledged instead of letting
Feishu retry them for hours.

Without an encrypt key (only with ``feishu.allow_unsigned: true``) nothing is signed:
every delivery must then carry a timestamp inside the window (the header, or the
envelope's ``create_time``), and a token plus event id seen before is refused as a replay.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import lark_oapi as lark
from fastapi import APIRouter, Request, Response

from bot.metrics import Metrics
from bot.refusals import Refusals, refusal_body
from bot.transport.payload import (
    TIMESTAMP_HEADER,
    Envelope,
    SignatureHeaders,
    parse_json,
    signature_headers,
    unix_seconds,
)

__all__ = ["webhook_router", "WebhookPolicy"]

Claim = Callable[[str, str], Awaitable[bool]]


@dataclass(frozen=True)
class WebhookPolicy:
    encrypt_key: str
    replay_window: int
    max_json_depth: int = 64


def _classify(message: str) -> tuple[int, str]:
    lowered = message.lower()
    if "processor not found" in lowered:
        return 200, "unhandled_event_type"
    if "signature" in lowered:
        return 401, "bad_signature"
    if "verification_token" in lowered or "encrypt_key" in lowered:
        return 401, "bad_token"
    if "busy" in lowered or "queue is full" in lowered:
        return 503, "busy"
    return 400, "malformed"


def _unsigned_stamp(request: Request, envelope: Envelope) -> int | str:
    stamp = request.headers.get(TIMESTAMP_HEADER)
    if stamp is not None:
        seconds = unix_seconds(stamp)
        return "bad_timestamp" if seconds is None else seconds
    seconds = unix_seconds(envelope.header("create_time"))
    return "no_timestamp" if seconds is None else seconds


def _replay_key(envelope: Envelope) -> str:
    parts = (envelope.header("token"), envelope.header("event_id"), envelope.event_token())
    return "unsigned:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def webhook_router(
    dispatcher: lark.EventDispatcherHandler,
    metrics: Metrics,
    policy: WebhookPolicy,
    *,
    refusals: Refusals,
    claim: Claim,
) -> APIRouter:
    router = APIRouter()

    def refuse(status: int, reason: str) -> Response:
        refusals.record(status, reason, path="/feishu/events")
        return Response(refusal_body(reason), status_code=status, media_type="application/json")

    def outside_window(seconds: int) -> bool:
        return abs(time.time() - seconds) > policy.replay_window

    async def unsigned_checks(request: Request, envelope: Envelope) -> str | None:
        if envelope.is_url_verification:
            return None  # answered only with the right token, and changes nothing
        stamp = _unsigned_stamp(request, envelope)
        if isinstance(stamp, str):
            return stamp
        if outside_window(stamp):
            return "stale_timestamp"
        if not envelope.header("event_id"):
            return "malformed"
        if not await claim(_replay_key(envelope), "unsigned"):
            return "replayed"
        return None

    @router.post("/feishu/events")
    async def feishu_events(request: Request) -> Response:
        body = await request.body()  # bounded by the BodyLimit middleware
        signed = signature_headers(request.headers) if policy.encrypt_key else None
        if isinstance(signed, str):
            return refuse(401, signed)
        if isinstance(signed, SignatureHeaders) and outside_window(signed.timestamp):
            return refuse(401, "stale_timestamp")
        envelope = parse_json(body, policy.max_json_depth)
        if isinstance(envelope, str):
            return refuse(400, envelope)
        if not policy.encrypt_key:
            problem = await unsigned_checks(request, envelope)
            if problem is not None:
                return refuse(409 if problem == "replayed" else 401, problem)
        elif signed is None and not envelope.is_encrypted:
            return refuse(401, "unsigned")
        raw = lark.RawRequest()
        raw.uri = str(request.url.path)
        raw.body = body
        raw.headers = request.headers  # the Starlette object: case-insensitive lookups
        try:
            result = dispatcher.do(raw)
        except Exception:  # the SDK catches its own errors; anything else is a bad request
            return refuse(400, "malformed")
        if result.status_code == 500:
            try:
                message = str(json.loads(result.content or b"{}").get("msg", ""))
            except (ValueError, AttributeError):
                message = ""
            status, reason = _classify(message)
            if status == 200:
                metrics.events.labels(kind="unhandled").inc()
                return Response(content=b'{"msg":"success"}', media_type="application/json")
            return refuse(status, reason)
        return Response(
            content=result.content or b"",
            status_code=result.status_code,
            media_type="application/json",
        )

    return router
