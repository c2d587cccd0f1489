"""The plans beyond workloads in both languages: their operations and outcomes."""

from __future__ import annotations

import pytest

from bot.texts.cluster import impact_text, operation_text, outcome_text
from cluster.plans import (
    CordonNode,
    DeleteRerunJob,
    FixPlan,
    RerunJob,
    ResumeCronJob,
    SetServiceSelector,
    SuspendCronJob,
    Target,
    UncordonNode,
)
from messages import LANGUAGES


@pytest.mark.parametrize(
    "operation, english",
    [
        (ResumeCronJob(), "Resume the CronJob's schedule (spec.suspend → false)"),
        (SuspendCronJob(), "Suspend the CronJob's schedule again (spec.suspend → true)"),
        (UncordonNode(), "Uncordon the node (allow scheduling again)"),
        (CordonNode(), "Cordon the node again (no new pods)"),
        (
            SetServiceSelector({"tier": "web", "app": "orders"}),
            "Set the Service's selector to app=orders,tier=web",
        ),
        (
            RerunJob("migrate-rerun-abcde"),
            "Re-run it as a new Job migrate-rerun-abcde with the failed Job's spec",
        ),
        (
            DeleteRerunJob("migrate"),
            "Delete the re-run Job the bot created for migrate, and its pods",
        ),
    ],
)
def test_operation_texts(operation, english: str) -> None:
    assert operation_text(operation, "en-US") == english
    chinese = operation_text(operation, "zh-CN")
    assert chinese != english and "{" not in chinese


def test_outcomes_name_the_object_and_no_revision() -> None:
    for lang in LANGUAGES:
        for outcome in ("ready", "failed", "timeout"):
            text = outcome_text(outcome, "orders", 0, "endpoints: 0 ready", lang, kind="Service")
            assert "Service/orders" in text and "{" not in text
    ready = outcome_text("ready", "report", 0, "", "en-US", kind="CronJob")
    assert "revision" not in ready and "rolled out" not in ready
    # Workloads keep their rollout text.
    assert "rolled out (revision 2)" in outcome_text("ready", "web", 2, "", "en-US")


def test_object_plans_restart_no_pods() -> None:
    live = {"metadata": {"name": "report", "namespace": "shop", "resourceVersion": "1"},
            "spec": {"suspend": True}}  # fmt: skip
    plan = FixPlan(Target.of(live, "CronJob"), (ResumeCronJob(),), "cronjob_suspended")
    assert impact_text(plan, "en-US") == ""
