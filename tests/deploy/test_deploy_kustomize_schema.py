"""Every overlay renders with kustomize and validates strictly against the Kubernetes schema."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import kubernetes_validate
import pytest
import yaml

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from tests.deploy.conftest import Manifests

KUBE_DIR = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
K8S_VERSION = "1.30"


def _validate_all(objects: Iterable[dict[str, Any]]) -> list[str]:
    errors = []
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            errors.append(f"{obj['kind']}/{obj['metadata']['name']}: {path}: {exc.message}")
    return errors


def test_every_overlay_directory_is_under_test(overlay_names: tuple[str, ...]) -> None:
    on_disk = {p.name for p in (KUBE_DIR / "overlays").iterdir() if p.is_dir()}
    assert on_disk == set(overlay_names)


def test_overlay_validates_strictly(rendered: dict[str, Manifests], overlay: str) -> None:
    manifests = rendered[overlay]
    kinds = {obj["kind"] for obj in manifests.objects}
    assert {"Deployment", "Service", "ServiceAccount", "ClusterRole", "ConfigMap"} <= kinds
    assert _validate_all(manifests.objects) == []


def test_strict_validation_rejects_an_unknown_field(rendered: dict[str, Manifests]) -> None:
    deployment = copy.deepcopy(rendered["single"].one("Deployment"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSION, strict=True)


def test_fix_access_example_validates(fix_access: Manifests) -> None:
    assert {obj["kind"] for obj in fix_access.objects} == {"Role", "RoleBinding"}
    assert _validate_all(fix_access.objects) == []


def test_example_secret_validates(example_secret: dict[str, object]) -> None:
    kubernetes_validate.validate(example_secret, K8S_VERSION, strict=True)


def test_service_monitor_component_selects_the_bot_service(
    render: Callable[[Path], Manifests], tmp_path: Path
) -> None:
    def rel(path: Path) -> str:
        return os.path.relpath(path, tmp_path)

    (tmp_path / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "namespace": "cloudops",
                "resources": [rel(KUBE_DIR / "overlays" / "scale-out")],
                "components": [rel(KUBE_DIR / "components" / "service-monitor")],
            }
        )
    )
    manifests = render(tmp_path)
    monitor = manifests.one("ServiceMonitor")
    service = manifests.one("Service")
    wanted = monitor["spec"]["selector"]["matchLabels"]
    assert wanted.items() <= service["metadata"]["labels"].items()
    port_names = {port["name"] for port in service["spec"]["ports"]}
    [endpoint] = monitor["spec"]["endpoints"]
    assert endpoint["port"] in port_names
    assert endpoint["path"] == "/metrics"
    assert monitor["metadata"]["namespace"] == service["metadata"]["namespace"]
    # No schema ships for the CRD; everything else must still validate.
    others = [o for o in manifests.objects if o["kind"] != "ServiceMonitor"]
    assert len(others) == len(manifests.objects) - 1
    assert _validate_all(others) == []
