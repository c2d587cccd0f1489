"""What a kubernetes-client call was about: the RBAC verb, kind, resource, namespace/name."""

from __future__ import annotations

import pytest

from cluster.subjects import Subject, subject_of


@pytest.mark.parametrize(
    ("call", "args", "expected"),
    [
        # one object: the client's order is (name, namespace)
        (
            "read_namespaced_deployment",
            ("fraud", "payments"),
            Subject("get", "Deployment", "deployments", "payments", "fraud"),
        ),
        # a list: (namespace); keyword arguments (label_selector) are not positional
        ("list_namespaced_pod", ("payments",), Subject("list", "Pod", "pods", "payments")),
        # the dry-run note the executor appends is not part of the method name
        (
            "patch_namespaced_deployment (dryRun=All)",
            ("nginx", "default", {"spec": {}}),
            Subject("patch", "Deployment", "deployments", "default", "nginx"),
        ),
        # a multi-word kind, and a plural that is already plural
        (
            "list_namespaced_replica_set",
            ("default",),
            Subject("list", "ReplicaSet", "replicasets", "default"),
        ),
        (
            "list_namespaced_endpoints",
            ("default",),
            Subject("list", "Endpoints", "endpoints", "default"),
        ),
        # a subresource: logs are read through pods/log
        (
            "read_namespaced_pod_log",
            ("web-1", "default"),
            Subject("get", "Pod", "pods/log", "default", "web-1"),
        ),
        # cluster-wide
        ("list_node", (), Subject("list", "Node", "nodes")),
        (
            "list_deployment_for_all_namespaces",
            (),
            Subject("list", "Deployment", "deployments"),
        ),
    ],
)
def test_subject_of_known_calls(call: str, args: tuple[object, ...], expected: Subject) -> None:
    assert subject_of(call, args) == expected


def test_unknown_calls_have_no_subject() -> None:
    assert subject_of("get_code", ()) is None
    assert subject_of("list_namespaced_custom_object(metrics.k8s.io/pods)", ()) is None


def test_object_reads_as_kind_namespace_name() -> None:
    assert Subject("get", "Deployment", "deployments", "payments", "fraud").object == (
        "Deployment payments/fraud"
    )
    assert Subject("list", "Node", "nodes").object == "Node"
