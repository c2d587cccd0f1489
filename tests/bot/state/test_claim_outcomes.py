"""Every status an action can be decided to has its ``already_<status>`` outcome, and the
outcome gives the status back (no parsing of the text)."""

from __future__ import annotations

from bot.state.approvals import ActionStatus, ClaimOutcome


def test_every_decided_status_has_its_already_outcome() -> None:
    for status in ActionStatus:
        if status is ActionStatus.PENDING:
            continue
        outcome = ClaimOutcome.already(status)
        assert outcome == f"already_{status}"  # what the audit log stores
        assert outcome.decided_status is status


def test_the_other_outcomes_name_no_status() -> None:
    for outcome in (ClaimOutcome.CLAIMED, ClaimOutcome.MISSING, ClaimOutcome.EXPIRED):
        assert outcome.decided_status is None
