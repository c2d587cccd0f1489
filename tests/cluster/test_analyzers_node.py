"""Table tests for the Node analyzer."""

from __future__ import annotations

import pytest

from cluster.analyzers import node
from tests.cluster.kinds import condition, pod, view

PENDING = pod(
    "web-1",
    ready=False,
    phase="Pending",
    node="",
    conditions=[condition("PodScheduled", "False", "Unschedulable")],
)
RUNNING = pod("web-2", node="node-1")


def make(ready: str = "True", cordoned: bool = False, **pressure: str) -> dict:
    conditions = [
        condition("Ready", ready, "KubeletReady" if ready == "True" else "NodeStatusUnknown")
    ]
    conditions += [condition(kind, status) for kind, status in pressure.items()]
    return {
        "metadata": {"name": "node-1"},
        "spec": {"unschedulable": True} if cordoned else {},
        "status": {"conditions": conditions},
    }


CASES = [
    pytest.param(make(), [RUNNING], [], id="healthy"),
    pytest.param(make(ready="Unknown"), [RUNNING], [("node_not_ready", "critical")], id="notready"),
    pytest.param(make(DiskPressure="True"), [RUNNING], [("node_pressure", "warning")], id="disk"),
    pytest.param(make(MemoryPressure="False"), [RUNNING], [], id="no-pressure"),
    # Cordoned while a pod of the namespace cannot be placed: warning.
    pytest.param(make(cordoned=True), [PENDING], [("node_cordoned", "warning")], id="cordoned"),
    # A NotReady node that runs nothing of this namespace is not its business.
    pytest.param(make(ready="False"), [pod("x", node="node-9")], [], id="elsewhere"),
]


@pytest.mark.parametrize("obj, pods, expected", CASES)
def test_node(obj, pods, expected) -> None:
    found = node.check(view(nodes=[obj], pods=pods))
    assert [(f.problem, f.severity) for f in found] == expected
    assert all(f.object == "/Node/node-1" for f in found)


def test_every_node_for_a_node_diagnosis() -> None:
    namespace = view(nodes=[make(ready="False")], pods=[])
    assert [f.problem for f in node.check(namespace, every_node=True)] == ["node_not_ready"]
