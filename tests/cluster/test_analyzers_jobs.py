"""Table tests for the Job and CronJob analyzers, and the cron schedule parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cluster.analyzers import cronjob, job
from cluster.cron import parse_cron
from tests.cluster.kinds import NOW, condition, meta, owner, view


def a_job(*conditions: dict, suspend: bool = False, **spec: object) -> dict:
    return {
        "kind": "Job",
        "metadata": meta("report-1", ownerReferences=owner("CronJob", "report")),
        "spec": {"backoffLimit": 2, "suspend": suspend, **spec},
        "status": {"failed": 3, "conditions": list(conditions)},
    }


JOB_CASES = [
    pytest.param(a_job(condition("Complete", "True")), [], id="complete"),
    pytest.param(
        a_job(condition("Failed", "True", "BackoffLimitExceeded")),
        [("job_failed", "BackoffLimitExceeded")],
        id="backoff",
    ),
    pytest.param(
        a_job(condition("Failed", "True", "DeadlineExceeded"), activeDeadlineSeconds=60),
        [("job_failed", "DeadlineExceeded")],
        id="deadline",
    ),
    pytest.param(a_job(suspend=True), [("job_suspended", "")], id="suspended"),
    # A Failed condition that is not True (yet) is no failure.
    pytest.param(a_job(condition("Failed", "False")), [], id="not-failed"),
]


@pytest.mark.parametrize("obj, expected", JOB_CASES)
def test_job(obj, expected) -> None:
    found = job.check(view(jobs=[obj]))
    assert [(f.problem, f.evidence.get("reason", "")) for f in found] == expected
    assert all(f.evidence["owner"] == "CronJob/report" for f in found)


def stamp(delta: timedelta) -> str:
    return (NOW - delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def cron(
    schedule: str = "0 * * * *",
    *,
    suspend: bool = False,
    active: int = 0,
    deadline: int | None = None,
    **status: str,
) -> dict:
    spec = {"schedule": schedule, "suspend": suspend, "concurrencyPolicy": "Allow"}
    if deadline is not None:
        spec["startingDeadlineSeconds"] = deadline
    return {
        "metadata": meta("report", creationTimestamp=stamp(timedelta(days=30))),
        "spec": spec,
        "status": {"active": [{"name": f"report-{i}"} for i in range(active)], **status},
    }


HOUR = timedelta(hours=1)
CRON_CASES = [
    # Healthy: hourly, last run 20 minutes ago succeeded.
    pytest.param(
        cron(lastScheduleTime=stamp(HOUR / 3), lastSuccessfulTime=stamp(HOUR / 3)), [], id="healthy"
    ),
    pytest.param(cron("61 * * * *"), ["cronjob_schedule_invalid"], id="bad-minute"),
    pytest.param(cron("every hour"), ["cronjob_schedule_invalid"], id="not-cron"),
    pytest.param(cron(suspend=True), ["cronjob_suspended"], id="suspended"),
    pytest.param(cron(deadline=-5), ["cronjob_deadline_invalid"], id="negative-deadline"),
    # Hourly, scheduled 20 minutes ago, last success 5 hours ago: three runs missed.
    pytest.param(
        cron(lastScheduleTime=stamp(HOUR / 3), lastSuccessfulTime=stamp(5 * HOUR)),
        ["cronjob_no_recent_success"],
        id="stale",
    ),
    # Daily, last success 30 hours ago (one run failed): within three periods.
    pytest.param(
        cron("0 3 * * *", lastScheduleTime=stamp(HOUR * 6), lastSuccessfulTime=stamp(30 * HOUR)),
        [],
        id="one-miss",
    ),
    pytest.param(
        cron(active=4, lastScheduleTime=stamp(HOUR / 3), lastSuccessfulTime=stamp(HOUR / 3)),
        ["cronjob_too_many_active"],
        id="piling-up",
    ),
]


@pytest.mark.parametrize("obj, expected", CRON_CASES)
def test_cronjob(obj, expected) -> None:
    assert [f.problem for f in cronjob.check(view(cron_jobs=[obj]))] == expected


@pytest.mark.parametrize(
    "schedule, after, expected",
    [
        (
            "*/15 * * * *",
            datetime(2026, 1, 1, 10, 7, tzinfo=UTC),
            datetime(2026, 1, 1, 10, 15, tzinfo=UTC),
        ),
        ("@daily", datetime(2026, 1, 1, 10, 7, tzinfo=UTC), datetime(2026, 1, 2, 0, 0, tzinfo=UTC)),
        # 2026-01-03 is a Saturday: the next weekday 09:00 is Monday the 5th.
        (
            "0 9 * * 1-5",
            datetime(2026, 1, 3, 10, 0, tzinfo=UTC),
            datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
        ),
        # Both day fields restricted: either may match (the 1st, or any Sunday).
        (
            "0 0 1 * sun",
            datetime(2026, 1, 1, 1, 0, tzinfo=UTC),
            datetime(2026, 1, 4, 0, 0, tzinfo=UTC),
        ),
    ],
)
def test_cron_next_fire(schedule, after, expected) -> None:
    assert parse_cron(schedule).next_after(after) == expected


@pytest.mark.parametrize(
    "schedule", ["* * * *", "0 24 * * *", "0 0 0 * *", "*/0 * * * *", "@every 5m"]
)
def test_cron_rejects(schedule) -> None:
    with pytest.raises(ValueError):
        parse_cron(schedule)
