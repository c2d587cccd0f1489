"""A postmortem draft in Markdown from an incident's timeline (and its RCA verdict when one
was recorded): summary, impact window, timeline, root cause, actions taken, follow-ups.

Deterministic and language-aware through the catalogue; an LLM-written narrative can be
put in front of it later. The draft is meant for a file attached to the incident group,
so people appear by open_id (no Feishu ``<at>`` tags) and nothing is escaped for cards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.cards.incident_stats import duration_text
from bot.state.timeline import IncidentEventRecord
from messages import catalogue, t

__all__ = ["PostmortemFacts", "postmortem_markdown"]

ENDS = frozenset({"fired", "resolved"})  # every other event is an action taken
DETAIL_CHARS = 300


@dataclass(frozen=True)
class PostmortemFacts:
    alertname: str
    key: str  # the alert group's id
    events: Sequence[IncidentEventRecord]  # oldest first
    root_cause: str | None = None  # the RCA verdict as recorded, if any
    service: str | None = None
    namespace: str | None = None
    team: str | None = None


def _kind(kind: str, lang: str) -> str:
    key = f"timeline.kind.{kind}"
    return t(key, lang) if key in catalogue() else kind


def _line(event: IncidentEventRecord, lang: str, tz: ZoneInfo) -> str:
    detail = event.detail.strip().replace("\n", " ")[:DETAIL_CHARS]
    parts = [event.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"), _kind(event.kind, lang)]
    parts += [event.actor] if event.actor else []
    parts += [detail] if detail and event.kind != "fired" else []
    return "- " + " · ".join(parts)


def _first(events: Sequence[IncidentEventRecord], kind: str) -> IncidentEventRecord | None:
    return next((e for e in events if e.kind == kind), None)


def _summary(facts: PostmortemFacts, lang: str, when: str, end: datetime | None) -> str:
    events = facts.events
    fired = _first(events, "fired")
    claimed = _first(events, "claimed")
    where = " / ".join(dict.fromkeys(x for x in (facts.namespace, facts.service) if x)) or "—"
    lines = [t("postmortem.summary.fired", lang, alertname=facts.alertname, where=where, at=when)]
    if fired and claimed:
        took = duration_text((claimed.at - fired.at).total_seconds())
        lines.append(t("postmortem.summary.claimed", lang, who=claimed.actor, after=took))
    else:
        lines.append(t("postmortem.summary.unclaimed", lang))
    if fired and end:
        took = duration_text((end - fired.at).total_seconds())
        lines.append(t("postmortem.summary.resolved", lang, after=took))
    else:
        lines.append(t("postmortem.summary.open", lang))
    if facts.team:
        lines.append(t("postmortem.summary.team", lang, team=facts.team))
    return ("" if lang.lower().startswith("zh") else " ").join(lines)  # sentences


def postmortem_markdown(
    facts: PostmortemFacts, lang: str, timezone: str, now: datetime | None = None
) -> str:
    """The draft. ``now`` ends the impact window of an incident still open (default: its
    last event)."""
    tz = ZoneInfo(timezone)
    events = sorted(facts.events, key=lambda e: e.at)
    fired = _first(events, "fired")
    resolved = [e for e in events if e.kind == "resolved" and (fired is None or e.at >= fired.at)]
    end = resolved[-1].at if resolved else None

    def when(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S %Z") if moment else "—"

    start = fired.at if fired else (events[0].at if events else None)
    sections = [f"# {t('postmortem.title', lang, alertname=facts.alertname)}"]
    sections.append(t("postmortem.draft_note", lang, group=facts.key))
    body = _summary(facts, lang, when(start), end)
    sections += [f"## {t('postmortem.section.summary', lang)}", body]
    if end is not None and start is not None:
        took = duration_text((end - start).total_seconds())
        impact = t("postmortem.impact.closed", lang, start=when(start), end=when(end), took=took)
    else:
        last = now or (events[-1].at if events else None)
        impact = t("postmortem.impact.open", lang, start=when(start), now=when(last))
    sections += [f"## {t('postmortem.section.impact', lang)}", impact]
    timeline = [_line(e, lang, tz) for e in events] or [t("timeline.none", lang)]
    sections += [f"## {t('postmortem.section.timeline', lang)}", "\n".join(timeline)]
    cause = facts.root_cause or t("postmortem.root_cause.none", lang)
    sections += [f"## {t('postmortem.section.root_cause', lang)}", cause]
    actions = [_line(e, lang, tz) for e in events if e.kind not in ENDS]
    done = "\n".join(actions) or t("postmortem.actions.none", lang)
    sections += [f"## {t('postmortem.section.actions', lang)}", done]
    sections += [f"## {t('postmortem.section.follow_ups', lang)}", _follow_ups(facts, events, lang)]
    return "\n\n".join(sections) + "\n"


def _follow_ups(facts: PostmortemFacts, events: Sequence[IncidentEventRecord], lang: str) -> str:
    items = []
    if facts.root_cause is None:
        items.append(t("postmortem.follow_up.root_cause", lang))
    if _first(events, "claimed") is None:
        items.append(t("postmortem.follow_up.unclaimed", lang))
    if _first(events, "escalated") is not None:
        items.append(t("postmortem.follow_up.escalated", lang))
    items += [t("postmortem.follow_up.alert_rule", lang), t("postmortem.follow_up.runbook", lang)]
    return "\n".join(f"- [ ] {item}" for item in items)
