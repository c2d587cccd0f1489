"""How long an apply may stay "applying" before the sweep calls it interrupted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from config.settings import ApprovalSettings, FixesSettings, Settings
from skills.interrupted_applies import interrupt_after


@pytest.mark.parametrize(
    ("minutes", "fixes", "expected"),
    [
        (15, {}, timedelta(minutes=15)),  # the default watch (300 s) is well inside
        (15, {"watch_timeout_seconds": 3}, timedelta(minutes=15)),
        (30, {"watch_timeout_seconds": 300}, timedelta(minutes=30)),
        # A rollout watched for 20 min: a live apply must not be called interrupted.
        (15, {"watch_timeout_seconds": 1200}, timedelta(minutes=40)),
    ],
)
def test_the_age_is_the_setting_but_never_under_twice_the_rollout_watch(
    minutes: int, fixes: dict[str, Any], expected: timedelta
) -> None:
    settings = Settings(
        approvals=ApprovalSettings(interrupt_after_minutes=minutes), fixes=FixesSettings(**fixes)
    )
    assert interrupt_after(settings) == expected


def test_the_default_is_fifteen_minutes() -> None:
    assert ApprovalSettings().interrupt_after_minutes == 15
