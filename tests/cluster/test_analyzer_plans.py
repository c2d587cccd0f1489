"""Which findings carry a plan: only where the fix is obvious and safe (a table per kind,
each fixture commented with why it does or does not get one). Everything else is advice."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.analyzers import cronjob, job, node, service
from tests.cluster.kinds import condition, meta, pod, view, workload
from tests.cluster.kinds import service as svc

Json = dict[str, Any]


def pinned(obj: Json) -> Json:
    """As read from the API server: with a resourceVersion (plans pin it)."""
    return {**obj, "metadata": {**obj["metadata"], "resourceVersion": "42"}}


def plans(findings: list[Any]) -> list[tuple[str, list[Json]]]:
    return [
        (f.problem, [op.to_dict() for op in f.plan.operations] if f.plan else []) for f in findings
    ]


# -- CronJob -------------------------------------------------------------------------------
def cron(schedule: str = "0 * * * *", *, suspend: bool = False) -> Json:
    return pinned({"metadata": meta("report"), "spec": {"schedule": schedule, "suspend": suspend}})


@pytest.mark.parametrize(
    "obj, expected",
    [
        # Suspended with a valid schedule: resume it (Undo suspends it again).
        pytest.param(cron(suspend=True), [("cronjob_suspended", [{"op": "resume_cronjob"}])],
                     id="suspended"),
        # An invalid schedule is a spec problem: advice only, even when suspended.
        pytest.param(cron("61 * * * *", suspend=True), [("cronjob_schedule_invalid", [])],
                     id="invalid-schedule"),
        # Healthy: nothing at all.
        pytest.param(cron(), [], id="healthy"),
    ],
)  # fmt: skip
def test_cronjob_plans(obj: Json, expected: list[Any]) -> None:
    assert plans(cronjob.check(view(cron_jobs=[obj]))) == expected


# -- Job -----------------------------------------------------------------------------------
def a_job(reason: str, name: str = "migrate", **labels: str) -> Json:
    return pinned(
        {
            "metadata": meta(name, labels=labels),
            "spec": {"backoffLimit": 1, "template": {"spec": {"containers": []}}},
            "status": {"conditions": [condition("Failed", "True", reason)]},
        }
    )


BACKOFF = a_job("BackoffLimitExceeded")


@pytest.mark.parametrize(
    "jobs, expected",
    [
        # Failed by its backoffLimit: re-run it as a new Job.
        pytest.param([BACKOFF], [("job_failed", ["rerun_job"])], id="backoff"),
        # Past its deadline: the deadline (its spec) is the problem, a re-run fails alike.
        pytest.param([a_job("DeadlineExceeded")], [("job_failed", [])], id="deadline"),
        # Already re-run by the bot: no second re-run; the failed re-run gets none either.
        pytest.param(
            [BACKOFF, a_job("BackoffLimitExceeded", "migrate-rerun-1", **{
                "cloudops.bot/rerun-of": "migrate"})],
            [("job_failed", []), ("job_failed", [])],
            id="already-rerun",
        ),
    ],
)  # fmt: skip
def test_job_plans(jobs: list[Json], expected: list[Any]) -> None:
    found = plans(job.check(view(jobs=jobs)))
    assert [(problem, [op["op"] for op in ops]) for problem, ops in found] == expected


def test_a_rerun_plan_names_its_new_job() -> None:
    (finding,) = job.check(view(jobs=[BACKOFF]))
    assert finding.plan is not None
    assert finding.plan.operations[0].to_dict()["name"].startswith("migrate-rerun-")
    assert finding.plan.target.kind == "Job" and finding.plan.target.resource_version == "42"


# -- Node ----------------------------------------------------------------------------------
CORDONED = "0/2 nodes are available: 1 node(s) were unschedulable, 1 Insufficient cpu."


def waiting(message: str) -> Json:
    state = {**condition("PodScheduled", "False", "Unschedulable"), "message": message}
    return pod("web-1", ready=False, phase="Pending", node="", conditions=[state])


def a_node(ready: str = "True", **pressure: str) -> Json:
    conditions = [condition("Ready", ready)] + [condition(k, v) for k, v in pressure.items()]
    return pinned(
        {"metadata": {"name": "node-2"}, "spec": {"unschedulable": True},
         "status": {"conditions": conditions}}
    )  # fmt: skip


@pytest.mark.parametrize(
    "obj, pods, expected",
    [
        # Ready, no pressure, and pods wait because nodes "were unschedulable": uncordon.
        pytest.param(a_node(), [waiting(CORDONED)], [("node_cordoned", ["uncordon_node"])],
                     id="cordoned-blocking"),
        # Pods wait for another reason (CPU only): the cordon is not why; advice only.
        pytest.param(a_node(), [waiting("0/1 nodes are available: 1 Insufficient cpu.")],
                     [("node_cordoned", [])], id="waiting-for-cpu"),
        # Nothing waits: probably drained on purpose; advice only (info).
        pytest.param(a_node(), [], [("node_cordoned", [])], id="nothing-waits"),
        # Not Ready: uncordoning would not help.
        pytest.param(a_node("False"), [waiting(CORDONED)],
                     [("node_not_ready", []), ("node_cordoned", [])], id="not-ready"),
        # Under pressure: it would evict what it gets.
        pytest.param(a_node(DiskPressure="True"), [waiting(CORDONED)],
                     [("node_pressure", []), ("node_cordoned", [])], id="pressure"),
    ],
)  # fmt: skip
def test_node_plans(obj: Json, pods: list[Json], expected: list[Any]) -> None:
    found = plans(node.check(view(nodes=[obj], pods=pods), every_node=not pods))
    assert [(problem, [op["op"] for op in ops]) for problem, ops in found] == expected


def test_a_cordoned_node_with_nothing_waiting_is_info_without_plan() -> None:
    (finding,) = node.check(view(nodes=[a_node()]), every_node=True)
    assert (finding.problem, finding.severity, finding.plan) == ("node_cordoned", "info", None)


# -- Service -------------------------------------------------------------------------------
ORDERS = workload("Deployment", "orders", {"app": "orders", "tier": "web"})


@pytest.mark.parametrize(
    "workloads, selector, expected",
    [
        # A typo in one value, one workload alike: point the selector at it.
        pytest.param([ORDERS], {"app": "order", "tier": "web"},
                     [{"op": "set_service_selector",
                       "selector": {"app": "orders", "tier": "web"}}], id="typo"),
        # One term, the value alike (order / orders): the workload is evidently meant.
        pytest.param([workload("Deployment", "orders")], {"app": "order"},
                     [{"op": "set_service_selector", "selector": {"app": "orders"}}],
                     id="one-term-typo"),
        # One term, values not alike: every workload's "app" differs by one value; none meant.
        pytest.param([workload("Deployment", "payments")], {"app": "order"}, [],
                     id="unlike"),
        # Two workloads one value off: which one? Advice only.
        pytest.param([workload("Deployment", "orders"), workload("StatefulSet", "orderz")],
                     {"app": "order"}, [], id="ambiguous"),
        # Two values off: not a one-label slip.
        pytest.param([ORDERS], {"app": "order", "tier": "api"}, [], id="two-off"),
        # A key the pods do not carry at all: not a value slip.
        pytest.param([ORDERS], {"app": "orders", "zone": "a"}, [], id="missing-key"),
    ],
)  # fmt: skip
def test_service_plans(workloads: list[Json], selector: dict[str, str], expected: Any) -> None:
    kinds = {"Deployment": "deployments", "StatefulSet": "stateful_sets"}
    groups: dict[str, list[Json]] = {}
    for item in workloads:
        groups.setdefault(kinds[item["kind"]], []).append(item)
    found = service.check(view(services=[pinned(svc("orders", selector))], **groups))
    assert [f.problem for f in found] == ["service_selector_mismatch"]
    assert plans(found)[0][1] == expected
