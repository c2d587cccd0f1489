"""/kb list | refresh | add.

``/kb add`` works in a private chat, as a reply to a file message; it and ``/kb refresh``
need the operator role (``bot.access``: the open_ids in ``knowledge.uploaders`` are
operators of the knowledge base; nobody by default). The file name must stay inside the
knowledge folder (``knowledge.paths.safe_join``); the file is fetched from Feishu with
the messenger (``message_content`` and ``download_file``, with its retries and pacing).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import structlog

from bot.access import PerRequest, Requires, Role
from bot.cards.card import Card
from bot.cards.notices import notice_card
from bot.context import Context
from bot.messenger import FeishuError, Messenger
from bot.registry import DependencyError, Registry, Skill, UsageError
from bot.services import Knowledge
from knowledge.loaders import SUFFIXES
from knowledge.paths import safe_join
from messages import t

__all__ = ["parse", "register"]

log = structlog.get_logger(__name__)
KbAction = Literal["list", "refresh", "add"]
MAX_FILE_MB = 20
LISTED = 50


class Refused(Exception):
    """The file cannot be added; ``text`` says why, for the user."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def parse(args: Sequence[str]) -> KbAction:
    if not args:
        raise UsageError("kb.missing_action")
    action = args[0].lower()
    if action not in ("list", "refresh", "add"):
        raise UsageError("kb.bad_action", action=args[0])
    if len(args) > 1:
        raise UsageError("usage.too_many_arguments", args=" ".join(args[1:]))
    return action  # type: ignore[return-value]


def _card(ctx: Context, text: str, severity: Any = "info") -> Card:
    return notice_card(ctx.t("kb.title"), text, severity=severity)


def _listing(kb: Knowledge, ctx: Context) -> Card:
    sources = kb.list_sources()
    if not sources:
        return _card(ctx, ctx.t("kb.list.empty"))
    lines = [f"- `{s}`" for s in sources[:LISTED]]
    if len(sources) > LISTED:
        lines.append(ctx.t("kb.list.more", count=len(sources) - LISTED))
    return _card(ctx, ctx.t("kb.list.body", count=len(sources), sources="\n".join(lines)))


async def _refresh(kb: Knowledge, ctx: Context) -> Card:
    report = await asyncio.to_thread(kb.refresh)
    text = ctx.t("kb.refresh.done", **report.counts())
    if report.errors:
        failed = ", ".join(f"`{s}` ({e})" for s, e in report.errors.items())
        text += "\n" + ctx.t("kb.refresh.errors", files=failed)
    return _card(ctx, text, "warning" if report.errors else "ok")


async def _file_of(messenger: Messenger, message_id: str, ctx: Context) -> tuple[str, str]:
    """(file_key, file_name) of the file message ``message_id``."""
    try:
        found = await messenger.message_content(message_id)
    except FeishuError as exc:
        raise DependencyError("Feishu", ctx.t("kb.failure.read_message", code=exc.code)) from exc
    if found is None or found[0] != "file":
        raise Refused(ctx.t("kb.add.not_file"))
    content = found[1]
    return str(content.get("file_key") or ""), str(content.get("file_name") or "")


async def _download(messenger: Messenger, message_id: str, file_key: str, lang: str) -> bytes:
    try:
        return await messenger.download_file(message_id, file_key)
    except FeishuError as exc:
        raise DependencyError("Feishu", t("kb.failure.download", lang, code=exc.code)) from exc


def _check_name(kb: Knowledge, name: str, ctx: Context) -> None:
    try:
        target = safe_join(kb.root, name)
    except ValueError as exc:
        raise Refused(ctx.t("knowledge.ingest.refused", reason=str(exc))) from None
    if target.suffix.lower() not in SUFFIXES:
        reason = f"unsupported file type {Path(name).suffix or '(none)'!r}"
        raise Refused(ctx.t("knowledge.ingest.refused", reason=reason))


async def _add(kb: Knowledge, ctx: Context) -> Card:
    message = ctx.message
    if message is None or message.chat_type != "p2p":
        raise Refused(ctx.t("kb.add.p2p_only"))
    if not message.parent_id:
        raise Refused(ctx.t("kb.add.no_reply"))
    messenger = ctx.services.messenger
    file_key, name = await _file_of(messenger, message.parent_id, ctx)
    _check_name(kb, name, ctx)
    data = await _download(messenger, message.parent_id, file_key, ctx.lang)
    if len(data) > MAX_FILE_MB * 1024 * 1024:
        raise Refused(ctx.t("kb.add.too_large", limit=MAX_FILE_MB))
    try:
        sources = await asyncio.to_thread(kb.ingest_bytes, name, data)
    except ValueError as exc:
        raise Refused(ctx.t("knowledge.ingest.refused", reason=str(exc))) from None
    log.info("knowledge_file_added", user=ctx.user_open_id, sources=sources)
    return _card(ctx, ctx.t("knowledge.ingest.done", sources=", ".join(sources)), "ok")


async def handle(action: KbAction, ctx: Context) -> None:
    kb = ctx.services.knowledge
    if kb is None:
        raise DependencyError(ctx.t("ask.dependency"), ctx.t("ask.failure.not_configured"))
    if action == "list":
        await ctx.reply(_listing(kb, ctx))
    elif action == "refresh":
        await ctx.reply(await _refresh(kb, ctx))
    else:
        try:
            reply = await _add(kb, ctx)
        except Refused as refusal:
            reply = _card(ctx, refusal.text, "warning")
        await ctx.reply(reply)


CHANGE = Requires(Role.operator, changes_state=True)
# /kb refresh and /kb add change the knowledge base; knowledge.uploaders are operators of it.
ACCESS = PerRequest(str, {"list": Requires(Role.viewer), "refresh": CHANGE, "add": CHANGE})


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="kb",
            usage_key="kb.usage",
            summary_key="kb.summary",
            parse=parse,
            handle=handle,
            aliases=("知识库",),
            access=ACCESS,
        )
    )
