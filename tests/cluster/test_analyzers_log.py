"""Table tests for the log analyzer: which pods' logs a diagnosis reads, and the error
lines it reports per workload (redacted, classified as /logs does)."""

from __future__ import annotations

import pytest

from cluster.analyzers import log
from cluster.finding import Finding
from tests.cluster.kinds import pod, view


def status(ready: bool = True, restarts: int = 0, state: str = "running") -> dict:
    return {"name": "app", "ready": ready, "restartCount": restarts, "state": {state: {}}}


def troubled(name: str, owner: str = "web", *, phase: str = "Running", **kw: object) -> dict:
    return pod(name, owned_by=("Deployment", owner), phase=phase, containerStatuses=[status(**kw)])  # type: ignore[arg-type]


REQUEST_CASES = [
    pytest.param([troubled("web-1", ready=False)], [], [("web-1", "app")], id="not-ready"),
    pytest.param([troubled("web-1", restarts=2)], [], [("web-1", "app")], id="restarted"),
    pytest.param([troubled("web-1")], [], [], id="healthy"),
    pytest.param([troubled("web-1", ready=False, state="waiting")], [], [], id="not-running"),
    pytest.param([troubled("web-1", phase="Pending", ready=False)], [], [], id="pending-pod"),
    pytest.param(
        [troubled("web-1", restarts=3)],
        [Finding("shop/Deployment/web", "crash_loop", {"pod": "web-1"}, "critical", "app")],
        [],
        id="explained-by-a-crash-loop",
    ),
    pytest.param(
        [troubled("web-1", ready=False)],
        [Finding("shop/Deployment/web", "init_container_failing", {"pod": "web-1"}, "critical")],
        [],
        id="pod-named-by-another-finding",
    ),
    pytest.param(
        [troubled("web-1", ready=False)],
        [Finding("shop/Deployment/web", "probes_missing", {}, "info", "app")],
        [("web-1", "app")],
        id="an-informational-finding-explains-nothing",
    ),
]


@pytest.mark.parametrize(("pods", "findings", "expected"), REQUEST_CASES)
def test_which_logs_are_read(pods: list, findings: list, expected: list) -> None:
    assert log.log_requests(view(pods=pods), findings) == expected


def test_at_most_max_pods_are_read_and_only_of_the_named_workload() -> None:
    pods = [troubled(f"web-{i:02}", ready=False) for i in range(log.MAX_PODS + 5)]
    pods.append(troubled("api-1", "api", ready=False))
    chosen = log.log_requests(view(pods=pods), [])
    assert len({p for p, _ in chosen}) == log.MAX_PODS
    only = log.log_requests(view(pods=pods), [], only="shop/Deployment/api")
    assert only == [("api-1", "app")]


LINES = "starting\nconnecting to db\n"
CHECK_CASES = [
    pytest.param({"web-1/app": LINES + "all good\n"}, [], id="no-error-line"),
    pytest.param({}, [], id="nothing-read"),
    pytest.param(
        {"web-1/app": LINES + "ERROR db unreachable password=hunter2\nretrying\nERROR again\n"},
        [("shop/Deployment/web", "web-1", "2", "ERROR db unreachable password=[REDACTED]", "1")],
        id="errors",
    ),
    pytest.param(
        {
            "web-1/app": "Traceback (most recent call last)\nValueError: bad `input`\n",
            "web-2/app": "panic: nil map\n",
        },
        [("shop/Deployment/web", "web-1", "1", "Traceback (most recent call last)", "2")],
        id="one-finding-per-workload",
    ),
    pytest.param(
        {
            "web-1/app": "fine\n",
            "api-1/app": "dial tcp 10.0.0.1:5432: connect: connection refused\n",
        },
        [
            (
                "shop/Deployment/api",
                "api-1",
                "1",
                "dial tcp 10.0.0.1:5432: connect: connection refused",
                "1",
            )
        ],
        id="refused",
    ),
]


@pytest.mark.parametrize(("logs", "expected"), CHECK_CASES)
def test_error_lines_per_workload(logs: dict, expected: list) -> None:
    pods = [
        troubled("web-1", ready=False),
        troubled("web-2", ready=False),
        troubled("api-1", "api", ready=False),
    ]
    found = log.check(view(pods=pods, pod_logs=logs))
    assert [
        (f.object, f.evidence["pod"], f.evidence["count"], f.evidence["line"], f.evidence["pods"])
        for f in found
    ] == expected
    assert all(f.problem == "log_errors" and f.severity == "warning" for f in found)
    assert all("`" not in f.evidence["line"] and "hunter2" not in str(f.evidence) for f in found)
