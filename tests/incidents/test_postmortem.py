"""The postmortem draft: every section, in either language, from the timeline alone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.state.timeline import IncidentEventRecord as Event
from bot.texts.postmortem import PostmortemFacts, postmortem_markdown
from messages import LANGUAGES, t

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
SECTIONS = ("summary", "impact", "timeline", "root_cause", "actions", "follow_ups")


def _events() -> list[Event]:
    return [
        Event("g1", T0, "fired", "alertmanager", "PaymentsLatencyHigh"),
        Event("g1", T0 + 5 * MIN, "escalated", "bot", "urgent_app to ou_alice"),
        Event("g1", T0 + 7 * MIN, "claimed", "ou_alice", ""),
        Event("g1", T0 + 9 * MIN, "silenced", "ou_alice", "until 2026-03-02T02:09:00+00:00"),
        Event("g1", T0 + 31 * MIN, "resolved", "alertmanager", ""),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_section_in_order(lang: str) -> None:
    facts = PostmortemFacts(
        "PaymentsLatencyHigh",
        "g1",
        _events(),
        root_cause="ledger CPU throttled after rollout ledger:2",
        service="payments",
        namespace="payments",
        team="payments",
    )
    text = postmortem_markdown(facts, lang, "Asia/Shanghai")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == [t(f"postmortem.section.{s}", lang) for s in SECTIONS]
    assert text.startswith("# ") and "PaymentsLatencyHigh" in text.splitlines()[0]
    assert "2026-03-02 08:00:00 CST" in text and "2026-03-02 08:31:00 CST" in text  # the window
    assert "31m" in text and "7m" in text  # to resolve, to claim
    assert "ledger CPU throttled" in text
    actions = text.split(t("postmortem.section.actions", lang))[1].split("\n## ")[0]
    assert actions.count("\n- ") == 3  # escalated, claimed, silenced
    assert "- [ ] " in text and t("postmortem.follow_up.escalated", lang) in text
    assert t("postmortem.follow_up.root_cause", lang) not in text  # it was recorded
    if lang == "en-US":
        assert not re.search(r"[\u3400-\u9fff]", text)


def test_an_open_unclaimed_incident_without_rca_asks_for_them() -> None:
    events = [Event("g2", T0, "fired", "alertmanager", "Errors")]
    text = postmortem_markdown(
        PostmortemFacts("Errors", "g2", events), "en-US", "UTC", now=T0 + 90 * MIN
    )
    assert t("postmortem.summary.unclaimed", "en-US") in text
    assert t("postmortem.summary.open", "en-US") in text
    assert "still open at 2026-03-02 01:30:00 UTC" in text
    assert t("postmortem.root_cause.none", "en-US") in text
    assert t("postmortem.actions.none", "en-US") in text
    assert t("postmortem.follow_up.unclaimed", "en-US") in text
    assert t("postmortem.follow_up.root_cause", "en-US") in text


def test_unknown_event_kinds_are_listed_as_they_are_and_empty_timelines_work() -> None:
    events = [
        *_events()[:1],
        Event("g1", T0 + MIN, "paged_by_hand", "ou_bob", "rolled back ledger"),
    ]
    text = postmortem_markdown(PostmortemFacts("X", "g1", events), "zh-CN", "UTC")
    assert "paged_by_hand · ou_bob · rolled back ledger" in text  # noqa: E501
    empty = postmortem_markdown(PostmortemFacts("X", "g0", []), "zh-CN", "UTC")
    assert t("timeline.none", "zh-CN") in empty and "—" in empty
