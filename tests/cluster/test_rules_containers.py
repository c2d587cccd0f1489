"""Table tests for container-state rules: crash loops, OOM, image pulls, missing config."""

from __future__ import annotations

import pytest

from cluster.plans import PatchResources, RollbackToPrevious
from cluster.rules import config_error, crash_loop, image_pull, oom_killed
from tests.cluster.builders import container, deployment, pod, replica_set, snap, status, usage

CRASHING = status(
    ready=False, restarts=7, waiting="CrashLoopBackOff", last_reason="Error", exit_code=2
)
OOM = status(
    ready=False, restarts=3, waiting="CrashLoopBackOff", last_reason="OOMKilled", exit_code=137
)
LIMITED = deployment([container(limits={"memory": "128Mi"})])

CRASH_CASES = [
    # Crash loop after an application error: reported, with the previous log tail.
    pytest.param(
        snap(pods=[pod("web-1", CRASHING)], previous_logs={"web-1/app": "panic: boom"}),
        1,
        id="error-exit",
    ),
    # The same crash across two pods is one finding per container, not per pod.
    pytest.param(
        snap(pods=[pod("web-1", CRASHING), pod("web-2", CRASHING)]), 1, id="two-pods-one-finding"
    ),
    # An OOM crash loop belongs to the oom_killed rule (it has a memory plan).
    pytest.param(snap(pods=[pod("web-1", OOM)]), 0, id="oom-is-not-ours"),
    # Restarted once long ago but running and ready now: healthy.
    pytest.param(
        snap(pods=[pod("web-1", status(restarts=1, last_reason="Error"))]), 0, id="recovered"
    ),
    # A healthy pod.
    pytest.param(snap(pods=[pod("web-1")]), 0, id="healthy"),
]


@pytest.mark.parametrize("snapshot, count", CRASH_CASES)
def test_crash_loop(snapshot, count) -> None:
    findings = crash_loop.check(snapshot)
    assert len(findings) == count
    for finding in findings:
        assert (finding.problem, finding.container, finding.severity) == (
            "crash_loop",
            "app",
            "critical",
        )
        assert finding.evidence["exit_code"] == "2"
        assert finding.evidence["restarts"] == "7"


def test_crash_loop_carries_the_previous_log_tail() -> None:
    snapshot = snap(pods=[pod("web-1", CRASHING)], previous_logs={"web-1/app": "panic: boom"})
    assert crash_loop.check(snapshot)[0].evidence["log_tail"] == "panic: boom"


OOM_CASES = [
    # Killed for memory with a 128Mi limit and no usage data: double the limit.
    pytest.param(snap(LIMITED, pods=[pod("web-1", OOM)]), "256Mi", id="double-limit"),
    # Observed use 300Mi: 1.5 × 300 = 450Mi beats 2 × 128Mi, rounded up to 64Mi → 512Mi.
    pytest.param(
        snap(LIMITED, pods=[pod("web-1", OOM)], usage={"app": usage(10, 300)}),
        "512Mi",
        id="from-usage",
    ),
    # OOMKilled in the current state (not yet restarted) counts too.
    pytest.param(
        snap(
            LIMITED,
            pods=[
                pod(
                    "web-1",
                    {
                        **status(ready=False),
                        "state": {"terminated": {"reason": "OOMKilled", "exitCode": 137}},
                    },
                )
            ],
        ),
        "256Mi",
        id="terminated-now",
    ),
    # No OOM anywhere: nothing.
    pytest.param(snap(LIMITED, pods=[pod("web-1", CRASHING)]), None, id="other-crash"),
]


@pytest.mark.parametrize("snapshot, new_limit", OOM_CASES)
def test_oom_killed(snapshot, new_limit) -> None:
    findings = oom_killed.check(snapshot)
    if new_limit is None:
        assert findings == []
        return
    (finding,) = findings
    assert finding.problem == "oom_killed" and finding.evidence["memory_limit"] == "128Mi"
    assert finding.plan is not None
    assert finding.plan.operations == (PatchResources("app", limits={"memory": new_limit}),)


def test_oom_without_a_limit_has_no_plan() -> None:
    # Without a limit there is nothing to raise (the node ran out): report only.
    (finding,) = oom_killed.check(snap(deployment([container()]), pods=[pod("web-1", OOM)]))
    assert finding.plan is None and finding.evidence["memory_limit"] == "none"


PULL = status(
    ready=False, waiting="ImagePullBackOff", message='Back-off pulling image "example/app:9"'
)
TEMPLATE = deployment()["spec"]["template"]

PULL_CASES = [
    # Revision 2 cannot pull; revision 1 still exists: roll back to it.
    pytest.param(
        snap(
            deployment(revision=2),
            pods=[pod("web-1", PULL)],
            replica_sets=[replica_set(1, TEMPLATE), replica_set(2, TEMPLATE)],
        ),
        1,
        id="rollback-available",
    ),
    # First revision and it cannot pull: report, but there is nothing to roll back to.
    pytest.param(
        snap(pods=[pod("web-1", PULL)], replica_sets=[replica_set(1, TEMPLATE)]),
        None,
        id="no-history",
    ),
    # ErrImagePull (the first failure) is the same problem.
    pytest.param(
        snap(pods=[pod("web-1", status(ready=False, waiting="ErrImagePull"))]),
        None,
        id="err-image-pull",
    ),
]


@pytest.mark.parametrize("snapshot, revision", PULL_CASES)
def test_image_pull(snapshot, revision) -> None:
    (finding,) = image_pull.check(snapshot)
    assert finding.problem == "image_pull_failed" and finding.severity == "critical"
    if revision is None:
        assert finding.plan is None
    else:
        assert finding.plan is not None
        assert finding.plan.operations == (RollbackToPrevious(revision),)


def test_image_pull_ignores_running_containers() -> None:
    # Waiting in ContainerCreating is normal start-up, not a pull failure.
    starting = status(ready=False, waiting="ContainerCreating")
    assert image_pull.check(snap(pods=[pod("web-1", starting)])) == []


CONFIG_CASES = [
    # A whole ConfigMap is missing.
    pytest.param('configmap "web-config" not found', "ConfigMap/web-config", "", id="configmap"),
    # A key is missing from an existing Secret: the key names help spot the typo.
    pytest.param(
        "couldn't find key pasword in Secret shop/db", "Secret/db", "pasword", id="secret-key"
    ),
]


@pytest.mark.parametrize("message, reference, key", CONFIG_CASES)
def test_config_missing(message: str, reference: str, key: str) -> None:
    waiting = status(ready=False, waiting="CreateContainerConfigError", message=message)
    snapshot = snap(
        pods=[pod("web-1", waiting)], config_keys={"Secret/db": frozenset({"password"})}
    )
    (finding,) = config_error.check(snapshot)
    assert (finding.evidence["reference"], finding.evidence["missing_key"]) == (reference, key)
    if key:
        assert finding.evidence["available_keys"] == "password"


def test_config_rule_quiet_when_running() -> None:
    # Config resolved, container running: nothing to report.
    assert config_error.check(snap(pods=[pod("web-1")])) == []
