"""Every finding, operation, outcome and error renders in both languages from the catalogue."""

from __future__ import annotations

import pytest

from bot.texts.cluster import (
    error_text,
    finding_detail,
    finding_title,
    operation_text,
    outcome_text,
)
from cluster.access import ClusterAccess
from cluster.diagnose import diagnose_namespace
from cluster.errors import Conflict, DryRunRejected, PlanError
from cluster.plans import (
    PatchProbe,
    PatchResources,
    RollbackToPrevious,
    RolloutRestart,
    ScaleReplicas,
)
from cluster.rules import PROBLEMS
from messages import LANGUAGES, catalogue
from sandbox.cluster import KubeSimulator, demo_world


def test_every_problem_has_a_title_and_detail() -> None:
    keys = catalogue()
    for problem in PROBLEMS.values():
        assert f"cluster.problem.{problem}.title" in keys
        assert f"cluster.problem.{problem}.detail" in keys


async def test_demo_findings_render_in_both_languages() -> None:
    with KubeSimulator(demo_world(settle_seconds=150)) as sim:
        access = ClusterAccess(sim.api_client())
        findings = [
            f
            for ns in ("default", "payments")
            for d in await diagnose_namespace(access, ns)
            for f in d.findings
        ]
    assert len({f.problem for f in findings}) >= 8
    for finding in findings:
        for lang in LANGUAGES:
            title, detail = finding_title(finding, lang), finding_detail(finding, lang)
            assert title and detail and "{" not in title + detail


@pytest.mark.parametrize(
    "operation, english",
    [
        (
            PatchProbe("nginx", "readiness", path="/", period=10),
            "Change the readiness probe of container nginx: path=/, periodSeconds=10",
        ),
        (
            PatchResources("nginx", requests={"cpu": "10m"}),
            "Change the resources of container nginx: requests.cpu=10m",
        ),
        (ScaleReplicas(3), "Scale to 3 replica(s)"),
        (RollbackToPrevious(4), "Roll back to revision 4"),
        (RolloutRestart("2025-01-01T00:00:00Z"), "Restart all pods with a rolling update"),
    ],
)
def test_operation_texts(operation, english: str) -> None:
    assert operation_text(operation, "en-US") == english
    assert operation_text(operation, "zh-CN") != english


def test_outcome_and_error_texts() -> None:
    assert "nginx" in outcome_text("ready", "nginx", 2, "", "en-US")
    assert "diagnose again" in error_text(
        Conflict("read_namespaced_deployment", "1", "2"), "nginx", "en-US"
    )
    rejected = DryRunRejected(
        "patch_namespaced_deployment (dryRun=All)", 422, "Unprocessable", "bad probe"
    )
    assert "bad probe" in error_text(rejected, lang="en-US")
    assert "无效" in error_text(PlanError("x"))


def test_findings_missing_from_the_demo_render_too() -> None:
    from cluster.rules import config_error, crash_loop, quota_exceeded, unschedulable
    from tests.cluster import builders as b

    pending = b.pod(
        "web-1",
        b.status(ready=False, waiting="ContainerCreating"),
        conditions=[{"type": "PodScheduled", "reason": "Unschedulable", "message": "0/1 nodes"}],
    )
    quota = b.event(
        "ReplicaSet",
        "web-rs",
        "FailedCreate",
        "forbidden: exceeded quota: compute, requested: pods=1",
    )
    snapshots = [
        (
            crash_loop,
            b.snap(
                pods=[
                    b.pod(
                        "web-1",
                        b.status(
                            ready=False, restarts=3, waiting="CrashLoopBackOff", last_reason="Error"
                        ),
                    )
                ]
            ),
        ),
        (
            config_error,
            b.snap(
                pods=[
                    b.pod(
                        "web-1",
                        b.status(
                            ready=False,
                            waiting="CreateContainerConfigError",
                            message='secret "db" not found',
                        ),
                    )
                ]
            ),
        ),
        (unschedulable, b.snap(pods=[pending], nodes=[b.node()])),
        (quota_exceeded, b.snap(events=[quota])),
    ]
    for rule, snapshot in snapshots:
        (finding,) = rule.check(snapshot)
        for lang in LANGUAGES:
            text = finding_title(finding, lang) + finding_detail(finding, lang)
            assert (
                "{" not in text and finding.evidence[next(iter(finding.evidence))] in text or text
            )
