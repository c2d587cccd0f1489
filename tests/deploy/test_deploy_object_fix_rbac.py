"""The Roles for plans beyond workloads grant exactly the verbs their requests use; the
example grant to read custom resources reads one group and nothing more."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.deploy.conftest import KUBE_DIR, kustomize

if TYPE_CHECKING:
    from tests.deploy.conftest import Manifests


def _rules(manifests: Manifests, kind: str) -> set[tuple[str, str, str]]:
    return {
        (group, resource, verb)
        for rule in manifests.one(kind)["rules"]
        for group in rule["apiGroups"]
        for resource in rule["resources"]
        for verb in rule["verbs"]
    }


def test_object_fix_role_is_exactly_cronjob_patch_job_create_delete_service_patch(
    kubectl: str,
) -> None:
    rendered = kustomize(kubectl, KUBE_DIR / "fixes" / "example-app-objects")
    assert _rules(rendered, "Role") == {
        ("batch", "cronjobs", "patch"),  # resume, and Undo's suspend
        ("batch", "jobs", "create"),  # the re-run
        ("batch", "jobs", "delete"),  # Undo of the re-run
        ("", "services", "patch"),  # selector, and Undo's old selector
    }
    role, binding = rendered.one("Role"), rendered.one("RoleBinding")
    assert role["metadata"]["namespace"] == binding["metadata"]["namespace"] == "example-app"
    assert binding["roleRef"]["name"] == role["metadata"]["name"]
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "cloudops", "namespace": "cloudops"}
    ]


def test_node_fix_cluster_role_only_patches_nodes(kubectl: str) -> None:
    rendered = kustomize(kubectl, KUBE_DIR / "fixes" / "nodes")
    assert _rules(rendered, "ClusterRole") == {("", "nodes", "patch")}
    binding = rendered.one("ClusterRoleBinding")
    assert binding["roleRef"]["name"] == rendered.one("ClusterRole")["metadata"]["name"]
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "cloudops", "namespace": "cloudops"}
    ]


def test_custom_resource_read_example_reads_one_group_and_no_wildcard(kubectl: str) -> None:
    rendered = kustomize(kubectl, KUBE_DIR / "fixes" / "custom-resources")
    rules = _rules(rendered, "ClusterRole")
    assert {verb for _, _, verb in rules} == {"get", "list", "watch"}
    assert {group for group, _, _ in rules} == {"cert-manager.io"}  # one group, as the example
    assert ("cert-manager.io", "certificates", "list") in rules
    assert not any("*" in (group, resource) for group, resource, _ in rules)
    binding = rendered.one("ClusterRoleBinding")
    assert binding["roleRef"]["name"] == rendered.one("ClusterRole")["metadata"]["name"]
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "cloudops", "namespace": "cloudops"}
    ]
