"""``/incident postmortem [alertname]``: a postmortem draft in Markdown from the incident's
timeline (``bot.texts.postmortem``): summary, impact window, timeline, root cause, actions
taken and follow-ups. In a war room: its incident; elsewhere the named (or latest) alert
group. With an LLM the agents reword the draft (nothing they add may stray from the
timeline: ``agents.teams.postmortem.keeps_facts``); without one, or when they stray or
fail, the draft stands. It is posted as a card and attached as a Markdown file, for the
team to complete and publish."""

from __future__ import annotations

import re
from typing import Any

import structlog

from bot.cards.card import card
from bot.cards.elements import markdown
from bot.cards.notices import notice_card, working_card
from bot.context import Context
from bot.texts.postmortem import PostmortemFacts, postmortem_markdown
from skills.alerts.state import load_record
from skills.incident.requests import PostmortemRequest, TimelineRequest
from skills.incident.timeline import timeline_key

__all__ = ["handle"]

log = structlog.get_logger(__name__)


async def handle(request: PostmortemRequest, ctx: Context) -> None:
    key, title = await timeline_key(TimelineRequest(request.alertname), ctx)
    if key is None:
        text = ctx.t("timeline.not_found", alertname=request.alertname or "—")
        await ctx.reply(notice_card(ctx.t("timeline.title", alertname="—"), text, "neutral"))
        return
    events = await ctx.services.store.timeline.events(key)
    alert = await load_record(ctx.services.store, key)
    view = alert.view if alert is not None else None
    name = view.alertname if view is not None else (title or key)
    facts = PostmortemFacts(
        name,
        key,
        events,
        service=view.service if view is not None else None,
        namespace=view.namespace if view is not None else None,
    )
    timezone = ctx.settings.runtime.timezone
    draft = postmortem_markdown(facts, ctx.lang, timezone, now=ctx.services.clock())
    title_text = ctx.t("postmortem.title", alertname=name)
    agents = ctx.services.agents
    if agents is None or agents.status != "enabled":
        text, note = draft, ctx.t("postmortem.attached")
    else:
        working = working_card(ctx.lang, title_text, ctx.t("postmortem.working"))
        await ctx.working(working)
        text, note = await _written(agents, draft, ctx)
    shown = card(title_text, [markdown(text), markdown(note, text_size="notation")])
    if ctx.working_id:
        await ctx.patch(ctx.working_id, shown)
    else:
        await ctx.reply(shown)
    when = ctx.services.clock().strftime("%Y%m%d-%H%M")
    attached = await ctx.services.messenger.upload_file(
        text.encode("utf-8"), f"postmortem-{_file_safe(name)}-{when}.md"
    )
    await ctx.reply(attached)


async def _written(agents: Any, draft: str, ctx: Context) -> tuple[str, str]:
    """The agents' postmortem and its note, or the draft and why it stands."""
    try:
        written = await agents.write_postmortem(draft, lang=ctx.lang)
    except Exception as exc:  # noqa: BLE001 - the LLM is optional: the draft stands
        log.warning("postmortem_model_failed", error=type(exc).__name__)
        return draft, ctx.t("postmortem.model_failed")
    if written is None:
        return draft, ctx.t("postmortem.attached")
    if written.rejected:
        return draft, ctx.t("postmortem.model_rejected")
    return str(written.markdown), ctx.t("postmortem.by_model")


def _file_safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")[:60] or "incident"
