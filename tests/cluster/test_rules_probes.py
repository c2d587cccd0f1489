"""Table tests for probe rules: failing probes, aggressive timing, missing probes."""

from __future__ import annotations

import pytest

from cluster.plans import PatchProbe
from cluster.rules import probe_aggressive, probe_failing, probes_missing
from tests.cluster.builders import container, deployment, event, probe, snap

NOT_FOUND = "Readiness probe failed: HTTP probe failed with statuscode: 404"
REFUSED = (
    'Readiness probe failed: Get "http://10.0.0.5:9090/ready": '
    "dial tcp 10.0.0.5:9090: connect: connection refused"
)
LIVENESS_404 = "Liveness probe failed: HTTP probe failed with statuscode: 404"

FAILING_CASES = [
    # Readiness on a path the app does not serve, liveness path works: use the liveness path.
    pytest.param(
        container(readiness=probe("/health"), liveness=probe("/healthz")),
        [event("Pod", "web-1", "Unhealthy", NOT_FOUND, count=30)],
        ("readiness", "wrong_path", PatchProbe("app", "readiness", path="/healthz")),
        id="404-borrow-liveness-path",
    ),
    # 404 with no other probe to learn from: fall back to the root path.
    pytest.param(
        container(readiness=probe("/health")),
        [event("Pod", "web-1", "Unhealthy", NOT_FOUND)],
        ("readiness", "wrong_path", PatchProbe("app", "readiness", path="/")),
        id="404-root-path",
    ),
    # Connection refused on 9090 while the container declares 8080: point at 8080.
    pytest.param(
        container(readiness=probe("/ready", port=9090)),
        [event("Pod", "web-1", "Unhealthy", REFUSED)],
        ("readiness", "wrong_port", PatchProbe("app", "readiness", port=8080)),
        id="refused-declared-port",
    ),
    # Liveness 404 on /health: borrow the readiness probe's path.
    pytest.param(
        container(readiness=probe("/ready"), liveness=probe("/health")),
        [event("Pod", "web-1", "Unhealthy", LIVENESS_404)],
        ("liveness", "wrong_path", PatchProbe("app", "liveness", path="/ready")),
        id="liveness-404",
    ),
]


@pytest.mark.parametrize("spec, events, expected", FAILING_CASES)
def test_probe_failing(spec, events, expected) -> None:
    kind, cause, operation = expected
    (finding,) = probe_failing.check(snap(deployment([spec], ready=0), events=events))
    assert finding.evidence["probe"] == kind and finding.evidence["cause"] == cause
    assert finding.severity == "critical"  # nothing ready / liveness restarts
    assert finding.plan is not None and finding.plan.operations == (operation,)


def test_probe_failing_counts_events() -> None:
    events = [
        event("Pod", "web-1", "Unhealthy", NOT_FOUND, 30),
        event("Pod", "web-2", "Unhealthy", NOT_FOUND, 12),
    ]
    snapshot = snap(deployment([container(readiness=probe("/health"))], ready=1), events=events)
    (finding,) = probe_failing.check(snapshot)
    # Some replicas still ready: a warning, not critical.
    assert finding.evidence["count"] == "42" and finding.severity == "warning"


@pytest.mark.parametrize(
    "events",
    [
        # No Unhealthy events at all.
        pytest.param([], id="no-events"),
        # Other warnings (a pull back-off) are not probe failures.
        pytest.param(
            [event("Pod", "web-1", "BackOff", "Back-off pulling image")], id="other-events"
        ),
        # Events about a ReplicaSet are not pod probe failures.
        pytest.param([event("ReplicaSet", "web-rs", "Unhealthy", NOT_FOUND)], id="not-a-pod"),
    ],
)
def test_probe_failing_quiet(events) -> None:
    assert (
        probe_failing.check(snap(deployment([container(readiness=probe("/ready"))]), events=events))
        == []
    )


AGGRESSIVE_CASES = [
    # The legacy seed: every 1 s, gives up after 1 failure → 10 s × 3.
    pytest.param(
        container(readiness=probe("/health", period=1, failure=1)),
        [PatchProbe("app", "readiness", period=10, failure_threshold=3)],
        id="legacy-1s-threshold-1",
    ),
    # Liveness from second 0 without a startup probe: add an initial delay.
    pytest.param(
        container(readiness=probe(), liveness=probe("/healthz", delay=0)),
        [PatchProbe("app", "liveness", initial_delay=10)],
        id="eager-liveness",
    ),
    # Every 2 s × 2 failures = 4 s window: too tight; keep the bigger values.
    pytest.param(
        container(readiness=probe(period=2, failure=2)),
        [PatchProbe("app", "readiness", period=10, failure_threshold=3)],
        id="tight-window",
    ),
    # Sane timing (10 s × 3, liveness delayed): nothing.
    pytest.param(container(readiness=probe(), liveness=probe("/healthz", delay=10)), [], id="sane"),
]


@pytest.mark.parametrize("spec, operations", AGGRESSIVE_CASES)
def test_probe_too_aggressive(spec, operations) -> None:
    findings = probe_aggressive.check(snap(deployment([spec])))
    assert [op for f in findings if f.plan for op in f.plan.operations] == operations
    assert all(f.problem == "probe_too_aggressive" and f.severity == "warning" for f in findings)


MISSING_CASES = [
    # Serving container with no probes at all: readiness missing is a warning.
    pytest.param(container(), "readiness, liveness", "warning", id="none"),
    # Readiness present, liveness missing: informational.
    pytest.param(container(readiness=probe()), "liveness", "info", id="no-liveness"),
    # A worker without ports needs no readiness probe; only liveness is suggested.
    pytest.param(container(port=None), "liveness", "info", id="worker"),
    # Both probes present: nothing.
    pytest.param(container(readiness=probe(), liveness=probe("/healthz")), None, None, id="both"),
]


@pytest.mark.parametrize("spec, missing, severity", MISSING_CASES)
def test_probes_missing(spec, missing, severity) -> None:
    findings = probes_missing.check(snap(deployment([spec])))
    if missing is None:
        assert findings == []
    else:
        (finding,) = findings
        assert (finding.evidence["missing"], finding.severity, finding.plan) == (
            missing,
            severity,
            None,
        )


def test_probe_failing_blames_the_unready_container() -> None:
    # Two containers with readiness probes; the sidecar is ready, the app is not.
    from tests.cluster.builders import pod, status

    sidecar = container("sidecar", port=9000, readiness=probe("/ok", port=9000))
    app = container("app", readiness=probe("/health"))
    pods = [pod("web-1", status("sidecar"), status("app", ready=False))]
    events = [event("Pod", "web-1", "Unhealthy", NOT_FOUND)]
    (finding,) = probe_failing.check(
        snap(deployment([sidecar, app], ready=0), pods=pods, events=events)
    )
    assert finding.container == "app"
