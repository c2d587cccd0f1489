"""HTTP callback transport: ``POST /feishu/events`` for events and card callbacks.

lark-oapi's dispatcher does the URL challenge, decryption, token and signature checks;
we add the ±5 minute replay window, map the SDK's refusals to 4xx, and acknowledge
event types we do not handle instead of letting Feishu retry them for hours.
"""

from __future__ import annotations

import json
import time

import lark_oapi as lark
import structlog
from fastapi import APIRouter, Request, Response

from bot.metrics import Metrics

__all__ = ["webhook_router"]

log = structlog.get_logger(__name__)
TIMESTAMP_HEADER = "X-Lark-Request-Timestamp"


def _refusal(status: int, reason: str, metrics: Metrics) -> Response:
    metrics.rejected.labels(reason=reason).inc()
    log.warning("feishu_request_refused", reason=reason, status=status)
    return Response(
        content=json.dumps({"msg": reason}), status_code=status, media_type="application/json"
    )


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


def webhook_router(
    dispatcher: lark.EventDispatcherHandler,
    metrics: Metrics,
    *,
    encrypt_key: str,
    replay_window: int,
) -> APIRouter:
    router = APIRouter()

    @router.post("/feishu/events")
    async def feishu_events(request: Request) -> Response:
        body = await request.body()
        stamp = request.headers.get(TIMESTAMP_HEADER)
        # Signed deliveries carry a timestamp: refuse replays outside the window. Without
        # one, the SDK's signature check refuses everything except the unsigned URL check.
        if encrypt_key and stamp is not None:
            if not stamp.isdigit():
                return _refusal(401, "bad_timestamp", metrics)
            if abs(time.time() - int(stamp)) > replay_window:
                return _refusal(401, "stale_timestamp", metrics)
        try:
            json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _refusal(400, "malformed", metrics)
        raw = lark.RawRequest()
        raw.uri = str(request.url.path)
        raw.body = body
        raw.headers = request.headers  # the Starlette object: case-insensitive lookups
        result = dispatcher.do(raw)
        if result.status_code == 500:
            try:
                message = str(json.loads(result.content or b"{}").get("msg", ""))
            except json.JSONDecodeError:
                message = ""
            status, reason = _classify(message)
            if status == 200:
                metrics.events.labels(kind="unhandled").inc()
                return Response(content=b'{"msg":"success"}', media_type="application/json")
            return _refusal(status, reason, metrics)
        return Response(
            content=result.content or b"",
            status_code=result.status_code,
            media_type="application/json",
        )

    return router
