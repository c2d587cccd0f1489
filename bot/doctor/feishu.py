"""Feishu: the app credentials give a tenant token, the bot info reads, the scopes the bot
needs are granted (``GET /open-apis/application/v6/scopes``), the transport is complete.

Every call goes through lark-oapi's synchronous client in a worker thread.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import lark_oapi as lark
from lark_oapi.api.application.v6 import ListScopeRequest
from lark_oapi.api.auth.v3 import (
    InternalTenantAccessTokenRequest,
    InternalTenantAccessTokenRequestBody,
)

from bot.doctor.inputs import DoctorInput
from bot.doctor.result import Check
from bot.messenger import build_client

__all__ = ["FEATURE_SCOPES", "REQUIRED_SCOPES", "EVENTS", "feishu_checks", "missing_scopes"]

# (scope, other names the console has used for it, what the bot needs it for)
REQUIRED_SCOPES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("im:message", (), "send, reply to and update cards"),
    ("im:message:send_as_bot", (), "send messages as the bot"),
    ("im:message.group_at_msg:readonly", ("im:message.group_at_msg",), "receive group @mentions"),
    ("im:message.p2p_msg:readonly", ("im:message.p2p_msg",), "receive private messages"),
    ("im:resource", (), "upload chart images, read files sent to the bot"),
    ("im:chat:readonly", (), "read the chats the bot is in"),
)
# Scopes of optional features: missing, the feature says so when used (a warning here).
FEATURE_SCOPES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("im:chat", (), "create war-room groups and add their members (/incident start)"),
    ("im:message.urgent", (), "urgent in-app notifications of escalation steps (urgent_app)"),
    ("im:message.urgent:sms", (), "urgent SMS of escalation steps (urgent_sms)"),
    ("im:message.urgent:phone", (), "urgent phone calls of escalation steps (urgent_phone)"),
)
EVENTS = (
    "im.message.receive_v1",
    "im.chat.access_event.bot_p2p_chat_entered_v1",
    "im.chat.member.bot.added_v1",
    "application.bot.menu_v6",
)
CALLBACK = "card.action.trigger"
GRANTED = 1  # grant_status of a scope the tenant granted
CONSOLE = "open.feishu.cn/app → your app"


def missing_scopes(
    granted: set[str], scopes: tuple[tuple[str, tuple[str, ...], str], ...] = REQUIRED_SCOPES
) -> list[tuple[str, str]]:
    """The ``scopes`` (name, purpose) that ``granted`` lacks under any of their names."""
    return [(name, purpose) for name, aliases, purpose in scopes if not granted & {name, *aliases}]


def _feature_scopes(granted: set[str]) -> Check:
    missing = missing_scopes(granted, FEATURE_SCOPES)
    if not missing:
        names = ", ".join(name for name, _, _ in FEATURE_SCOPES)
        return Check.ok("feishu.feature_scopes", f"granted: {names}")
    names = ", ".join(name for name, _ in missing)
    return Check.warn(
        "feishu.feature_scopes",
        "not granted (those features answer that they lack it): "
        + "; ".join(f"{name} ({why})" for name, why in missing),
        f"{CONSOLE} → Permissions & Scopes: add {names} if you want those features; then "
        "publish a version",
    )


def _token(client: lark.Client, app_id: str, secret: str) -> Check:
    body = InternalTenantAccessTokenRequestBody.builder().app_id(app_id).app_secret(secret)
    request = InternalTenantAccessTokenRequest.builder().request_body(body.build()).build()
    resp = client.auth.v3.tenant_access_token.internal(request)
    if resp.code == 0:
        return Check.ok("feishu.token", f"tenant token issued for app {app_id}")
    return Check.fail(
        "feishu.token",
        f"no tenant token for app {app_id}: code {resp.code} {resp.msg}",
        f"copy App ID and App Secret from {CONSOLE} → Credentials & Basic Info into "
        "FEISHU_APP_ID / FEISHU_APP_SECRET (and FEISHU_DOMAIN=https://open.larksuite.com for Lark)",
    )


def _bot_info(client: lark.Client) -> tuple[Check, str]:
    request = (
        lark.BaseRequest.builder()
        .http_method(lark.HttpMethod.GET)
        .uri("/open-apis/bot/v3/info")
        .token_types({lark.AccessTokenType.TENANT})
        .build()
    )
    resp = client.request(request)
    data: dict[str, Any] = json.loads(resp.raw.content or b"{}") if resp.raw else {}
    bot = data.get("bot") or {}
    if data.get("code") == 0 and bot.get("open_id"):
        name = bot.get("app_name") or "the bot"
        return Check.ok("feishu.bot", f"{name} (open_id {bot['open_id']})"), str(bot["open_id"])
    return (
        Check.fail(
            "feishu.bot",
            f"bot info unreadable: code {data.get('code')} {data.get('msg', '')}".strip(),
            f"enable the Bot capability in {CONSOLE} → Add features → Bot, then publish a version",
        ),
        "",
    )


def _scopes(client: lark.Client) -> list[Check]:
    resp = client.application.v6.scope.list(ListScopeRequest.builder().build())
    needed = ", ".join(name for name, _, _ in REQUIRED_SCOPES)
    if resp.code != 0 or resp.data is None:
        return [
            Check.warn(
                "feishu.scopes",
                f"could not list the granted scopes: code {resp.code} {resp.msg}",
                f"check by hand in {CONSOLE} → Permissions & Scopes that these are granted: "
                f"{needed}",
            )
        ]
    granted = {str(s.scope_name) for s in resp.data.scopes or [] if s.grant_status == GRANTED}
    return [_required_scopes(granted, needed), _feature_scopes(granted)]


def _required_scopes(granted: set[str], needed: str) -> Check:
    missing = missing_scopes(granted)
    if not missing:
        return Check.ok("feishu.scopes", f"all {len(REQUIRED_SCOPES)} scopes granted: {needed}")
    names = ", ".join(name for name, _ in missing)
    return Check.fail(
        "feishu.scopes",
        "missing scopes: " + "; ".join(f"{name} ({why})" for name, why in missing),
        f"{CONSOLE} → Permissions & Scopes: add {names}; then Version Management & Release → "
        "create and publish a version (scopes take effect once the version is approved)",
    )


async def _longconn(domain: str, app_id: str, secret: str, timeout: float) -> Check:
    """The endpoint lark.ws.Client asks for its WebSocket URL: a light check."""
    async with httpx.AsyncClient(timeout=timeout) as client:
        response = await client.post(
            f"{domain}/callback/ws/endpoint",
            json={"AppID": app_id, "AppSecret": secret},
            headers={"locale": "en"},
        )
    body = response.json() if response.headers.get("content-type", "").startswith("app") else {}
    url = ((body.get("data") or {}).get("URL")) if isinstance(body, dict) else None
    if response.status_code == 200 and body.get("code") == 0 and url:
        return Check.ok(
            "feishu.transport",
            "long connection: the platform hands out a WebSocket URL; subscribe to "
            f"{', '.join(EVENTS)} and the callback {CALLBACK}",
        )
    return Check.fail(
        "feishu.transport",
        f"long connection refused: HTTP {response.status_code} code {body.get('code')} "
        f"{body.get('msg', '')}".strip(),
        f"{CONSOLE} → Events & Callbacks: choose 'Receive events through persistent "
        "connection' for events and callbacks, then publish a version",
    )


def _webhook(env_token: bool, env_key: bool) -> Check:
    events = f"subscribe to {', '.join(EVENTS)} and the callback {CALLBACK}"
    if not env_token and not env_key:
        return Check.fail(
            "feishu.transport",
            "webhook mode without FEISHU_VERIFICATION_TOKEN or FEISHU_ENCRYPT_KEY: "
            "events cannot be verified",
            f"{CONSOLE} → Events & Callbacks → Encryption Strategy: copy the Verification "
            "Token and set an Encrypt Key; export FEISHU_VERIFICATION_TOKEN and FEISHU_ENCRYPT_KEY",
        )
    if not env_key:
        return Check.warn(
            "feishu.transport",
            "webhook mode without FEISHU_ENCRYPT_KEY: events arrive unsigned and unencrypted",
            f"{CONSOLE} → Events & Callbacks → Encryption Strategy: set an Encrypt Key and "
            "export it as FEISHU_ENCRYPT_KEY",
        )
    if not env_token:
        return Check.warn(
            "feishu.transport",
            "webhook mode without FEISHU_VERIFICATION_TOKEN",
            "export FEISHU_VERIFICATION_TOKEN (Events & Callbacks → Encryption Strategy)",
        )
    return Check.ok(
        "feishu.transport",
        "webhook: verification token and encrypt key set; request URL "
        f"https://<host>/feishu/events for events and callbacks; {events}",
    )


async def feishu_checks(inputs: DoctorInput) -> list[Check]:
    settings = inputs.settings
    app_id, secret = settings.feishu_app_id or "", settings.secret("feishu_app_secret")
    if not app_id or not secret:
        return [
            Check.fail(
                "feishu.credentials",
                "FEISHU_APP_ID or FEISHU_APP_SECRET is not set",
                "create a custom app at open.feishu.cn (README: Registering the app) and "
                "export FEISHU_APP_ID and FEISHU_APP_SECRET",
            )
        ]
    client = build_client(app_id, secret, settings.domain, timeout=inputs.timeout)
    token = await asyncio.to_thread(_token, client, app_id, secret)
    if token.status != "ok":
        return [token]
    bot, _ = await asyncio.to_thread(_bot_info, client)
    scopes = await asyncio.to_thread(_scopes, client)
    if settings.transport == "longconn":
        transport = await _longconn(settings.domain, app_id, secret, inputs.timeout)
    else:
        transport = _webhook(
            bool(settings.secret("feishu_verification_token")),
            bool(settings.secret("feishu_encrypt_key")),
        )
    return [token, bot, *scopes, transport]
