"""Table tests for the PersistentVolumeClaim analyzer."""

from __future__ import annotations

import pytest

from cluster.analyzers import pvc
from tests.cluster.kinds import event, meta, pod, view

FAST = {"metadata": {"name": "fast"}, "provisioner": "csi.example.com"}
LAZY = {"metadata": {"name": "lazy"}, "volumeBindingMode": "WaitForFirstConsumer"}


def claim(name: str = "data", phase: str = "Pending", cls: str | None = "fast") -> dict:
    spec: dict = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    if cls is not None:
        spec["storageClassName"] = cls
    return {"metadata": meta(name), "spec": spec, "status": {"phase": phase}}


def volume(size: str = "5Gi", cls: str = "") -> dict:
    spec = {"capacity": {"storage": size}, "accessModes": ["ReadWriteOnce"]}
    return {
        "metadata": {"name": "pv-1"},
        "spec": {**spec, "storageClassName": cls},
        "status": {"phase": "Available"},
    }


WAITING = pod(
    "db-0", phase="Pending", volumes=[{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]
)

CASES = [
    # Healthy: bound.
    pytest.param(view(claims=[claim(phase="Bound")], storage_classes=[FAST]), None, id="bound"),
    # Pending on a WaitForFirstConsumer class with no pod yet: normal.
    pytest.param(
        view(claims=[claim(cls="lazy")], storage_classes=[LAZY]), None, id="wait-consumer"
    ),
    # The class it names does not exist; a pod waits on it → critical.
    pytest.param(
        view(claims=[claim(cls="ssd")], storage_classes=[FAST], pods=[WAITING]),
        ("pvc_pending", "no_storage_class", "critical"),
        id="no-class",
    ),
    # No class, no default class, no PV large enough; nobody waits → warning.
    pytest.param(
        view(claims=[claim(cls=None)], volumes=[volume("500Mi")]),
        ("pvc_pending", "no_matching_volume", "warning"),
        id="no-volume",
    ),
    # ...but a static PV that fits will bind it: nothing to say.
    pytest.param(view(claims=[claim(cls=None)], volumes=[volume("5Gi")]), None, id="pv-fits"),
    # The provisioner reported a failure.
    pytest.param(
        view(
            claims=[claim()],
            storage_classes=[FAST],
            events=[event("PersistentVolumeClaim", "data", "ProvisioningFailed", "quota")],
        ),
        ("pvc_pending", "provisioning_failed", "warning"),
        id="provisioning",
    ),
    pytest.param(view(claims=[claim(phase="Lost")]), ("pvc_lost", "", "critical"), id="lost"),
]


@pytest.mark.parametrize("namespace, expected", CASES)
def test_pvc(namespace, expected) -> None:
    found = pvc.check(namespace)
    if expected is None:
        assert found == []
        return
    (finding,) = found
    assert (finding.problem, finding.evidence.get("cause", ""), finding.severity) == expected
    assert finding.object == "shop/PersistentVolumeClaim/data"


def test_waiting_pods_are_named() -> None:
    namespace = view(claims=[claim(cls="ssd")], pods=[WAITING])
    (finding,) = pvc.check(namespace)
    assert (finding.evidence["waiting"], finding.evidence["pods"]) == ("1", "db-0")
