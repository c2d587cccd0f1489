"""Security properties of the rendered manifests: pod hardening, RBAC, no secret values."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from tests.deploy.conftest import Manifests

READ_VERBS = {"get", "list", "watch"}
SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|API_KEY|ENCRYPT_KEY|_KEY$", re.IGNORECASE)
DATA_DIR = "/var/lib/cloudops"
# registry/name@sha256:<64 hex>: a digest, not a tag that can move
PINNED_IMAGE = re.compile(r"^[a-z0-9.\-]+(?::[0-9]+)?/[a-z0-9./_\-]+@sha256:[0-9a-f]{64}$")


def _pod(manifests: Manifests) -> dict[str, Any]:
    pod: dict[str, Any] = manifests.one("Deployment")["spec"]["template"]["spec"]
    return pod


def _walk_keys(value: object) -> list[str]:
    if isinstance(value, dict):
        return [str(k) for k in value] + [k for v in value.values() for k in _walk_keys(v)]
    if isinstance(value, list):
        return [k for v in value for k in _walk_keys(v)]
    return []


def test_pod_runs_non_root_with_read_only_root(
    rendered: dict[str, Manifests], overlay: str
) -> None:
    pod = _pod(rendered[overlay])
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 10001
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    for container in pod["containers"]:
        ctx = container["securityContext"]
        assert ctx["readOnlyRootFilesystem"] is True
        assert ctx["allowPrivilegeEscalation"] is False
        assert ctx["capabilities"]["drop"] == ["ALL"]
        assert "add" not in ctx["capabilities"]
        assert ctx.get("privileged", False) is False
        assert ctx.get("runAsUser", 10001) != 0
    assert not pod.get("hostNetwork") and not pod.get("hostPID")


def test_writable_mounts_are_only_tmp_and_data(
    rendered: dict[str, Manifests], overlay: str
) -> None:
    pod = _pod(rendered[overlay])
    volumes = {v["name"]: v for v in pod["volumes"]}
    [container] = pod["containers"]
    writable = {
        m["mountPath"]: m["name"] for m in container["volumeMounts"] if not m.get("readOnly")
    }
    assert set(writable) == {"/tmp", DATA_DIR}
    assert "emptyDir" in volumes[writable["/tmp"]]
    assert not any("hostPath" in v for v in volumes.values())


def test_probes_hit_healthz_and_readyz(rendered: dict[str, Manifests], overlay: str) -> None:
    [container] = _pod(rendered[overlay])["containers"]
    port_names = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        assert port_names[container[probe]["httpGet"]["port"]] == 8080
    assert container["args"][-2:] == ["--port", "8080"]
    assert container["resources"]["requests"] and container["resources"]["limits"]["memory"]


def test_image_is_pinned_by_digest(rendered: dict[str, Manifests], overlay: str) -> None:
    [container] = _pod(rendered[overlay])["containers"]
    assert PINNED_IMAGE.match(container["image"]), container["image"]


def test_cluster_role_is_read_only_without_secrets(
    rendered: dict[str, Manifests], overlay: str
) -> None:
    role = rendered[overlay].one("ClusterRole")
    granted: set[tuple[str, str]] = set()
    for rule in role["rules"]:
        assert set(rule["verbs"]) <= READ_VERBS, rule
        assert "*" not in rule["resources"] and "*" not in rule["apiGroups"]
        assert not {"secrets", "configmaps"} & set(rule["resources"]), rule
        assert "resourceNames" not in rule and "nonResourceURLs" not in rule
        granted.update((group, res) for group in rule["apiGroups"] for res in rule["resources"])
    needed = {
        ("", "pods"),
        ("", "pods/log"),
        ("", "events"),
        ("", "nodes"),
        ("apps", "deployments"),
        ("apps", "replicasets"),
        ("autoscaling", "horizontalpodautoscalers"),
    }
    assert needed <= granted


def test_cluster_role_binding_targets_the_pod_service_account(
    rendered: dict[str, Manifests], overlay: str
) -> None:
    manifests = rendered[overlay]
    binding = manifests.one("ClusterRoleBinding")
    deployment = manifests.one("Deployment")
    account = manifests.one("ServiceAccount")
    assert binding["roleRef"]["name"] == manifests.one("ClusterRole")["metadata"]["name"]
    assert binding["subjects"] == [
        {
            "kind": "ServiceAccount",
            "name": account["metadata"]["name"],
            "namespace": deployment["metadata"]["namespace"],
        }
    ]
    assert (
        deployment["spec"]["template"]["spec"]["serviceAccountName"] == account["metadata"]["name"]
    )


def test_bot_overlays_grant_no_write_access(rendered: dict[str, Manifests], overlay: str) -> None:
    assert rendered[overlay].of_kind("Role") == []
    assert rendered[overlay].of_kind("RoleBinding") == []


def test_fix_role_only_patches_workloads(
    fix_access: Manifests, rendered: dict[str, Manifests]
) -> None:
    # Fixes reach StatefulSets and DaemonSets too (typed plans through the same executor),
    # so the Role patches those as well; still nothing but patch, and only workloads.
    workloads = {"deployments", "deployments/scale", "statefulsets", "daemonsets"}
    role = fix_access.one("Role")
    for rule in role["rules"]:
        assert rule["apiGroups"] == ["apps"]
        resources = set(rule["resources"])
        if resources & workloads:
            assert resources <= workloads
            assert rule["verbs"] == ["patch"]
        else:
            assert set(rule["verbs"]) <= READ_VERBS
        assert not resources & {"secrets", "pods/exec", "*"}
    patched = {r for rule in role["rules"] if rule["verbs"] == ["patch"] for r in rule["resources"]}
    assert patched == workloads
    bot = rendered["single"]
    binding = fix_access.one("RoleBinding")
    assert binding["metadata"]["namespace"] == role["metadata"]["namespace"] == "example-app"
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "Role",
        "name": role["metadata"]["name"],
    }
    account = bot.one("ServiceAccount")["metadata"]
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": account["name"], "namespace": account["namespace"]}
    ]


def test_no_secret_values_in_rendered_manifests(
    rendered: dict[str, Manifests], overlay: str
) -> None:
    manifests = rendered[overlay]
    assert manifests.of_kind("Secret") == []
    [container] = _pod(manifests)["containers"]
    for env in container.get("env", []):
        if SECRET_NAME.search(env["name"]) or env["name"] in {"DATABASE_URL", "REDIS_URL"}:
            assert "value" not in env, env["name"]
            assert env["valueFrom"]["secretKeyRef"]["name"] == "cloudops-secrets"
    for config_map in manifests.of_kind("ConfigMap"):
        for key, value in config_map["data"].items():
            assert not SECRET_NAME.search(key), key
            if key.endswith((".yaml", ".yml")):
                secretish = [k for k in _walk_keys(yaml.safe_load(value)) if SECRET_NAME.search(k)]
                assert secretish == [], secretish


def test_secrets_come_from_the_operator_secret(
    rendered: dict[str, Manifests], overlay: str, example_secret: dict[str, Any]
) -> None:
    [container] = _pod(rendered[overlay])["containers"]
    secret_refs = [s["secretRef"]["name"] for s in container["envFrom"] if "secretRef" in s]
    assert secret_refs == [example_secret["metadata"]["name"]]
    keys = {
        e["valueFrom"]["secretKeyRef"]["key"] for e in container.get("env", []) if "valueFrom" in e
    }
    assert keys <= set(example_secret["stringData"])


def test_example_secret_holds_only_placeholders(example_secret: dict[str, Any]) -> None:
    data = example_secret["stringData"]
    for name in ("FEISHU_APP_SECRET", "FEISHU_VERIFICATION_TOKEN", "FEISHU_ENCRYPT_KEY"):
        assert name in data
    for name, value in data.items():
        if SECRET_NAME.search(name) or name in {"DATABASE_URL", "REDIS_URL"}:
            assert "REPLACE_ME" in value, name
