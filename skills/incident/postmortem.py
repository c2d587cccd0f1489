"""``/incident postmortem [alertname]``: a postmortem draft in Markdown from the incident's
timeline (``bot.texts.postmortem``): summary, impact window, timeline, root cause, actions
taken and follow-ups. In a war room: its incident; elsewhere the named (or latest) alert
group. The draft is posted as a card for the team to copy, complete and publish."""

from __future__ import annotations

from bot.cards.card import card
from bot.cards.elements import markdown
from bot.cards.notices import notice_card
from bot.context import Context
from bot.texts.postmortem import PostmortemFacts, postmortem_markdown
from skills.alerts.state import load_record
from skills.incident.requests import PostmortemRequest, TimelineRequest
from skills.incident.timeline import timeline_key

__all__ = ["handle"]


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
    await ctx.reply(card(title_text, [markdown(draft)], severity="info"))
