"""What changed around an incident, as card text: one line per change, and the verdict
sentence when a rollout or configuration change explains the top candidate."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import pandas as pd

from analysis.evidence import Candidate, Change
from bot.messages import t

__all__ = ["change_lines", "change_verdict", "local_time"]

MAX_LINES = 8


def local_time(when: pd.Timestamp, timezone: str) -> str:
    """``12-03 14:02`` in the configured timezone."""
    return when.tz_convert(ZoneInfo(timezone)).strftime("%m-%d %H:%M")


def _inert(text: str) -> str:
    """Cluster text is untrusted: no markdown tags, mentions or links of its own."""
    return text.replace("<", "‹").replace(">", "›").replace("[", "［").replace("]", "］")


def _line(change: Change, lang: str, timezone: str) -> str:
    facts = {key: _inert(value) for key, value in change.facts.items()}
    return t(
        f"changes.{change.kind}",
        lang,
        time=local_time(change.at, timezone),
        workload=change.workload or "—",
        subject=_inert(change.subject),
        image=facts.get("image", ""),
        previous=facts.get("previous_image", ""),
        revision=facts.get("revision", ""),
        condition=facts.get("condition", ""),
        status=facts.get("status", ""),
        reason=facts.get("reason", ""),
        message=facts.get("message", ""),
        **{"from": facts.get("from", ""), "to": facts.get("to", "")},
    )


def change_lines(changes: Sequence[Change], lang: str, timezone: str) -> list[str]:
    """Rollouts and configuration first, then the rest; newest first within each."""
    ordered = sorted(changes, key=lambda c: (c.kind not in ("rollout", "config"), -c.at.value))
    lines = [f"- {_line(change, lang, timezone)}" for change in ordered[:MAX_LINES]]
    if len(ordered) > MAX_LINES:
        lines.append(t("changes.more", lang, count=len(ordered) - MAX_LINES))
    return lines


def change_verdict(top: Candidate, lang: str, timezone: str) -> str | None:
    """The sentence naming the change that explains ``top``, if one does."""
    if not top.changes:
        return None
    change = top.changes[-1]  # the latest one before the onset
    key = "changes.verdict" if change.kind == "rollout" else "changes.verdict.config"
    return t(
        key,
        lang,
        workload=change.workload or "—",
        time=local_time(change.at, timezone),
        image=_inert(change.facts.get("image", "")),
        previous=_inert(change.facts.get("previous_image", "")),
        subject=_inert(change.subject),
        metric=top.metric,
        onset=local_time(top.onset, timezone),
    )
