"""Table tests for the plans beyond workloads: render (patch and diff), parse and round
trip through stored JSON (hash stable), the allow-list, and Undo's operations."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cluster.errors import PlanError
from cluster.plans import (
    RERUN_OF,
    CordonNode,
    DeleteRerunJob,
    FixPlan,
    Operation,
    PatchProbe,
    RerunJob,
    ResumeCronJob,
    ScaleReplicas,
    SetServiceSelector,
    SuspendCronJob,
    Target,
    UncordonNode,
    parse_operation,
    rerun_name,
)

Json = dict[str, Any]


def _meta(name: str, namespace: str = "shop", **extra: Any) -> Json:
    meta = {"name": name, "uid": f"uid-{name}", "resourceVersion": "7", **extra}
    return {**meta, "namespace": namespace} if namespace else meta


CRON_JOB = {"metadata": _meta("report"), "spec": {"schedule": "*/5 * * * *", "suspend": True}}
NODE = {"metadata": _meta("node-2", ""), "spec": {"unschedulable": True}}
SERVICE = {"metadata": _meta("orders"), "spec": {"selector": {"app": "order"}}}
SERVER_LABELS = {"batch.kubernetes.io/controller-uid": "uid-migrate", "job-name": "migrate"}
JOB = {
    "metadata": _meta("migrate", labels={"team": "db", **SERVER_LABELS}),
    "spec": {
        "backoffLimit": 1,
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "uid-migrate"}},
        "template": {
            "metadata": {"labels": dict(SERVER_LABELS)},
            "spec": {
                "restartPolicy": "Never",
                "containers": [{"name": "migrate", "image": "shop/migrate:1"}],
            },
        },
    },
    "status": {
        "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded"}]
    },
}
RERUN = {"metadata": _meta("migrate-rerun-abcde", labels={RERUN_OF: "migrate"}), "spec": {}}

CASES = [
    # Resume: the one field, strategic merge; Undo suspends again.
    pytest.param(
        "CronJob", CRON_JOB, ResumeCronJob(),
        ("strategic", {"spec": {"suspend": False}}), ["spec.suspend: true → false"],
        id="resume-cronjob",
    ),
    pytest.param(
        "CronJob", {**CRON_JOB, "spec": {"suspend": False}}, SuspendCronJob(),
        ("strategic", {"spec": {"suspend": True}}), ["spec.suspend: false → true"],
        id="suspend-cronjob",
    ),
    pytest.param(
        "Node", NODE, UncordonNode(),
        ("strategic", {"spec": {"unschedulable": False}}), ["spec.unschedulable: true → false"],
        id="uncordon-node",
    ),
    pytest.param(
        "Node", {**NODE, "spec": {}}, CordonNode(),
        ("strategic", {"spec": {"unschedulable": True}}), ["spec.unschedulable: ∅ → true"],
        id="cordon-node",
    ),
    # Only the term that changes is sent; a removed term is set to null.
    pytest.param(
        "Service", {**SERVICE, "spec": {"selector": {"app": "order", "tier": "web"}}},
        SetServiceSelector({"app": "orders", "tier": "web"}),
        ("strategic", {"spec": {"selector": {"app": "orders"}}}),
        ["spec.selector.app: order → orders"],
        id="service-selector",
    ),
    pytest.param(
        "Service", {**SERVICE, "spec": {"selector": {"app": "order", "old": "x"}}},
        SetServiceSelector({"app": "orders"}),
        ("strategic", {"spec": {"selector": {"app": "orders", "old": None}}}),
        ["spec.selector.app: order → orders", "spec.selector.old: x → ∅"],
        id="service-selector-drops-a-term",
    ),
    # Delete of the bot's re-run: Background, so its pods go too.
    pytest.param(
        "Job", RERUN, DeleteRerunJob("migrate"),
        ("delete", {"propagationPolicy": "Background"}),
        ["metadata.name: migrate-rerun-abcde → ∅", f"metadata.labels.{RERUN_OF}: migrate → ∅"],
        id="delete-rerun",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "live", "operation", "patch", "diff"), CASES)
def test_render_patch_and_diff(
    kind: str, live: Json, operation: Operation, patch: tuple[str, Json], diff: list[str]
) -> None:
    plan = FixPlan(Target.of(live, kind), (operation,), "problem")
    rendered = plan.render(live)
    assert [(p.kind, p.body) for p in rendered.patches] == [patch]
    assert [str(line) for line in rendered.diff] == diff
    assert rendered.steps[0].operation == operation


def test_rerun_renders_a_new_ownerless_labelled_job_without_server_fields() -> None:
    name = rerun_name(JOB)
    plan = FixPlan(Target.of(JOB, "Job"), (RerunJob(name),), "job_failed")
    rendered = plan.render(JOB)
    (patch,) = rendered.patches
    assert patch.kind == "create" and patch.content_type == "application/json"
    body = patch.body
    assert body["metadata"] == {
        "name": name,
        "namespace": "shop",
        "labels": {"team": "db", RERUN_OF: "migrate"},
    }
    assert "selector" not in body["spec"] and "metadata" not in body["spec"]["template"]
    assert body["spec"]["template"]["spec"] == JOB["spec"]["template"]["spec"]
    assert [str(line) for line in rendered.diff] == [
        f"metadata.name: ∅ → {name}",
        f"metadata.labels.{RERUN_OF}: ∅ → migrate",
        "spec.template.spec.containers[migrate].image: ∅ → shop/migrate:1",
    ]
    assert JOB["spec"]["selector"]  # the live object is not changed


def test_rerun_name_is_stable_bounded_and_changes_with_the_job() -> None:
    name = rerun_name(JOB)
    assert name == rerun_name(json.loads(json.dumps(JOB))) and name.startswith("migrate-rerun-")
    newer = {**JOB, "metadata": {**JOB["metadata"], "resourceVersion": "8"}}
    assert rerun_name(newer) != name
    long = {**JOB, "metadata": {**JOB["metadata"], "name": "x" * 63}}
    assert len(rerun_name(long)) == 63


@pytest.mark.parametrize(
    ("kind", "live", "operation", "message"),
    [
        pytest.param("CronJob", {**CRON_JOB, "spec": {}}, ResumeCronJob(), "not suspend",
                     id="resume-running"),
        pytest.param("Node", {**NODE, "spec": {}}, UncordonNode(), "not unschedulable",
                     id="uncordon-schedulable"),
        pytest.param("Service", SERVICE, SetServiceSelector({"app": "order"}), "already",
                     id="same-selector"),
        pytest.param("Job", {**JOB, "status": {}}, RerunJob("migrate-rerun-abcde"),
                     "has not failed", id="rerun-not-failed"),
        pytest.param("Job", JOB, DeleteRerunJob("migrate"), "not the bot's re-run",
                     id="delete-a-job-not-rerun"),
        pytest.param("Job", RERUN, DeleteRerunJob("other"), "not the bot's re-run",
                     id="delete-rerun-of-another"),
    ],
)  # fmt: skip
def test_render_refuses_what_does_not_apply(
    kind: str, live: Json, operation: Operation, message: str
) -> None:
    plan = FixPlan(Target.of(live, kind), (operation,), "problem")
    with pytest.raises(PlanError, match=message):
        plan.render(live)


@pytest.mark.parametrize(
    ("kind", "live", "operations", "message"),
    [
        pytest.param("CronJob", CRON_JOB, (UncordonNode(),), "does not apply to a CronJob",
                     id="node-op-on-cronjob"),
        pytest.param("Service", SERVICE, (ScaleReplicas(2),), "does not apply to a Service",
                     id="workload-op-on-service"),
        pytest.param("Node", NODE, (UncordonNode(), UncordonNode()), "exactly one operation",
                     id="two-ops"),
    ],
)  # fmt: skip
def test_plan_refuses_operations_of_another_kind(
    kind: str, live: Json, operations: tuple[Operation, ...], message: str
) -> None:
    with pytest.raises(PlanError, match=message):
        FixPlan(Target.of(live, kind), operations, "problem")


def test_a_workload_plan_refuses_object_operations() -> None:
    target = Target("shop", "web", "1", 1, 1, {"spec": {"containers": []}})
    with pytest.raises(PlanError, match="does not apply to a Deployment"):
        FixPlan(target, (ResumeCronJob(),), "problem")
    FixPlan(target, (PatchProbe("web", "readiness", path="/"),), "ok")  # still fine


PLANS = [
    ("CronJob", CRON_JOB, ResumeCronJob()),
    ("CronJob", CRON_JOB, SuspendCronJob()),
    ("Node", NODE, UncordonNode()),
    ("Node", NODE, CordonNode()),
    ("Service", SERVICE, SetServiceSelector({"app": "orders"})),
    ("Job", JOB, RerunJob(rerun_name(JOB))),
    ("Job", RERUN, DeleteRerunJob("migrate")),
]


@pytest.mark.parametrize(("kind", "live", "operation"), PLANS, ids=[p[2].op for p in PLANS])
def test_stored_json_round_trips_with_its_hash(kind: str, live: Json, operation: Any) -> None:
    plan = FixPlan(Target.of(live, kind), (operation,), "problem")
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["target"]["kind"] == kind
    again = FixPlan.from_dict(data, trusted=True)
    assert again == plan and again.content_hash == plan.content_hash
    # Only the bot's own stored plans may carry them: an LLM's JSON is refused.
    with pytest.raises(PlanError, match="only come from the bot"):
        FixPlan.from_dict(data)
    with pytest.raises(PlanError, match="unknown field"):
        parse_operation({**operation.to_dict(), "extra": 1}, trusted=True)


def test_targets_save_what_undo_restores() -> None:
    assert Target.of(CRON_JOB, "CronJob").template == {"suspend": True}
    assert Target.of(NODE, "Node").template == {"unschedulable": True}
    assert Target.of(NODE, "Node").namespace == "" and Target.of(NODE, "Node").key == "/Node/node-2"
    assert Target.of(SERVICE, "Service").template == {"selector": {"app": "order"}}
    assert Target.of(SERVICE, "Service").label == "Service/orders"
    with pytest.raises(PlanError, match="target kind"):
        Target("shop", "x", "1", 0, 0, {}, kind="Secret")


def test_deployment_targets_keep_their_old_json_and_hash() -> None:
    # Stored before kinds existed: no "kind" key, so the hash of an old plan still holds.
    target = Target("shop", "web", "1", 1, 1, {"spec": {"containers": []}})
    assert "kind" not in target.to_dict()
    assert Target.from_dict(target.to_dict()) == target


@pytest.mark.parametrize(
    "data",
    [
        {"op": "set_service_selector", "selector": {}},
        {"op": "set_service_selector", "selector": {"app": "a b"}},
        {"op": "set_service_selector", "selector": {"app": 1}},
        {"op": "set_service_selector", "selector": "app=orders"},
        {"op": "rerun_job", "name": "Bad_Name"},
        {"op": "rerun_job", "name": "x" * 64},
        {"op": "rerun_job"},
        {"op": "delete_rerun_job", "rerun_of": ""},
        {"op": "resume_cronjob", "suspend": False},
    ],
)
def test_bad_fields_are_refused(data: Json) -> None:
    with pytest.raises(PlanError):
        parse_operation(data, trusted=True)
