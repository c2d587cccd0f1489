"""What changed around an incident, as card text: one line per change, and the verdict
sentence when a rollout or configuration change explains the top candidate."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from analysis.evidence import Candidate, Change
from bot.cards.escape import escape_markdown
from messages import t

__all__ = ["change_lines", "change_verdict"]

MAX_LINES = 8
Clock = Callable[[pd.Timestamp], str]  # a moment as the card shows it (RcaView.when)


def _line(change: Change, lang: str, when: Clock) -> str:
    facts = {key: escape_markdown(value) for key, value in change.facts.items()}
    return t(
        f"changes.{change.kind}",
        lang,
        time=when(change.at),
        workload=escape_markdown(change.workload or "—"),
        subject=escape_markdown(change.subject),
        image=facts.get("image", ""),
        previous=facts.get("previous_image", ""),
        revision=facts.get("revision", ""),
        condition=facts.get("condition", ""),
        status=facts.get("status", ""),
        reason=facts.get("reason", ""),
        message=facts.get("message", ""),
        **{"from": facts.get("from", ""), "to": facts.get("to", "")},
    )


def change_lines(changes: Sequence[Change], lang: str, when: Clock) -> list[str]:
    """Rollouts and configuration first, then the rest; newest first within each."""
    ordered = sorted(changes, key=lambda c: (c.kind not in ("rollout", "config"), -c.at.value))
    lines = [f"- {_line(change, lang, when)}" for change in ordered[:MAX_LINES]]
    if len(ordered) > MAX_LINES:
        lines.append(t("changes.more", lang, count=len(ordered) - MAX_LINES))
    return lines


def change_verdict(top: Candidate, metric: str, lang: str, when: Clock) -> str | None:
    """The sentence naming the change that explains ``top`` (``metric``: its name as the
    card shows it), if one does."""
    if not top.changes:
        return None
    change = top.changes[-1]  # the latest one before the onset
    key = "changes.verdict" if change.kind == "rollout" else "changes.verdict.config"
    return t(
        key,
        lang,
        workload=escape_markdown(change.workload or "—"),
        time=when(change.at),
        image=escape_markdown(change.facts.get("image", "")),
        previous=escape_markdown(change.facts.get("previous_image", "")),
        subject=escape_markdown(change.subject),
        metric=metric,
        onset=when(top.onset),
    )
