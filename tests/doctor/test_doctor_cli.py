"""``cloudops doctor --json`` against the fake Feishu platform, a real Prometheus and the
cluster simulator: every problem of a first install is named with its fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import app
from bot.state import open_store
from sandbox.cluster import KubeSimulator
from sandbox.feishu import FakePlatform
from tests.conftest import ENCRYPT_KEY, VERIFICATION_TOKEN
from tests.doctor.conftest import Metrics, write_config

# Variables of the developer's shell that would change what the doctor sees.
UNSET = [
    *("CLOUDOPS_CONFIG", "DATABASE_URL", "REDIS_URL", "FEISHU_TRANSPORT", "KUBECONFIG"),
    *("PROMETHEUS_TOKEN", "PROMETHEUS_USERNAME", "PROMETHEUS_PASSWORD", "KUBERNETES_SERVICE_HOST"),
    *("LLM_MODEL", "LLM_BASE_URL", "LLM_API_KEY", "TAVILY_API_KEY"),
    *("ALERTMANAGER_URL", "ALERTMANAGER_WEBHOOK_TOKEN"),
]


def doctor(env: dict[str, str]) -> tuple[int, dict[str, dict[str, Any]]]:
    full: dict[str, str | None] = {name: None for name in UNSET}
    full.update(env)
    result = CliRunner().invoke(app, ["doctor", "--json"], env=full)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    checks = json.loads(result.stdout)["checks"]
    assert all(set(c) == {"name", "status", "detail", "fix"} for c in checks)
    return result.exit_code, {c["name"]: c for c in checks}


def environment(platform: FakePlatform, metrics: Metrics, db_url: str, config: str) -> dict:
    return {
        "FEISHU_APP_ID": platform.app_id,
        "FEISHU_APP_SECRET": platform.app_secret,
        "FEISHU_VERIFICATION_TOKEN": VERIFICATION_TOKEN,
        "FEISHU_ENCRYPT_KEY": ENCRYPT_KEY,
        "FEISHU_DOMAIN": platform.url,
        "PROMETHEUS_URL": metrics.url,
        "DATABASE_URL": db_url,
        "CLOUDOPS_CONFIG": config,
    }


def services(*scenarios: Any) -> dict[str, Any]:
    return {s.service: {"namespace": s.namespace} for s in scenarios}


@pytest.fixture
def migrated_db(db_url: str) -> str:
    open_store(db_url).close()  # what `cloudops serve` does at its first start
    return db_url


def test_every_problem_is_reported_with_its_fix(
    platform: FakePlatform,
    metrics: Metrics,
    simulator: KubeSimulator,
    migrated_db: str,
    tmp_path: Path,
) -> None:
    platform.revoke_scope("im:message.p2p_msg:readonly")
    platform.revoke_scope("im:chat")  # war rooms: a feature's scope, a warning
    simulator.rbac.deny("patch", "deployments/scale", group="apps", namespace="shop")
    simulator.rbac.deny("get", "pods/log", namespace="billing")
    configured = services(metrics.full, metrics.partial, metrics.springy)
    configured["inventory"] = {"namespace": "shop"}  # no inventory-* pods exist anywhere
    config = write_config(
        tmp_path / "cloudops.yaml",
        {
            "prometheus": {"services": configured},
            "approvals": {"approvers": [{"open_id": "ou_lead", "namespaces": ["shop", "billing"]}]},
            "cluster": {"kubeconfig": str(simulator.kubeconfig_path())},
            "forecast": {"services": {"storefront": {"per_pod_capacity": 50}}},
            "doctor": {"lookback": "3h", "timeout_seconds": 20},
        },
    )
    code, checks = doctor(environment(platform, metrics, migrated_db, config))

    assert code == 1
    scopes = checks["feishu.scopes"]
    assert scopes["status"] == "fail"
    assert "im:message.p2p_msg:readonly" in scopes["detail"]
    assert "im:message.p2p_msg:readonly" in scopes["fix"] and "publish" in scopes["fix"]
    assert "im:chat " not in scopes["detail"]  # not required: the feature check names it
    features = checks["feishu.feature_scopes"]
    assert features["status"] == "warn" and "im:chat (create war-room groups" in features["detail"]
    assert "im:message.urgent" not in features["detail"]  # granted
    assert checks["feishu.token"]["status"] == checks["feishu.bot"]["status"] == "ok"

    billing = checks["prometheus.signals.billing"]
    assert billing["status"] == "warn"
    used, missing = billing["detail"].split("no data for")
    assert "cpu_usage_cores" in used and "memory_working_set_bytes" in used
    for signal, metric in (
        ("request_rate", "http_requests_total"),
        ("ready", "kube_pod_status_ready"),
        ("restarts", "kube_pod_container_status_restarts_total"),
    ):
        assert signal in missing and metric in missing
    assert checks["prometheus.pods.billing"]["status"] == "ok"
    assert checks["prometheus.signals.storefront"]["status"] == "ok"

    forecast = checks["prometheus.forecast.storefront"]
    assert forecast["status"] == "warn" and "48 hours" in forecast["detail"]

    assert "kubernetes.fix.shop" in checks, json.dumps(checks, indent=1)
    denied = checks["kubernetes.fix.shop"]
    assert denied["status"] == "fail"
    assert "patch deployments/scale.apps" in denied["detail"]
    assert "kubectl apply -k deploy/kubernetes/fixes/shop" in denied["fix"]
    assert checks["kubernetes.fix.billing"]["status"] == "ok"
    assert checks["kubernetes.read.orders"]["status"] == "ok"
    unreadable = checks["kubernetes.read.billing"]
    assert unreadable["status"] == "fail" and "get pods/log" in unreadable["detail"]
    assert "kubectl auth can-i" in unreadable["fix"]

    nothing = checks["prometheus.pods.inventory"]
    assert nothing["status"] == "fail" and 'pod=~"inventory-.*"' in nothing["detail"]
    assert "pod_regex" in nothing["fix"]
    assert checks["prometheus.signals.inventory"]["status"] == "fail"

    approvals = checks["approvals"]
    assert approvals["status"] == "warn" and "orders" in approvals["detail"]


def test_the_printed_signals_block_makes_a_spring_service_whole(
    platform: FakePlatform,
    metrics: Metrics,
    simulator: KubeSimulator,
    migrated_db: str,
    tmp_path: Path,
) -> None:
    base = {
        "prometheus": {"services": services(metrics.springy)},
        "approvals": {"approvers": [{"open_id": "ou_lead", "namespaces": ["orders"]}]},
        "cluster": {"kubeconfig": str(simulator.kubeconfig_path())},
        "doctor": {"lookback": "3h", "timeout_seconds": 20},
    }
    config = write_config(tmp_path / "before.yaml", base)
    _, checks = doctor(environment(platform, metrics, migrated_db, config))
    orders = checks["prometheus.signals.orders"]
    assert orders["status"] == "warn" and "request_rate (http_requests_total)" in orders["detail"]
    block = orders["fix"][orders["fix"].index("prometheus:") :]
    suggested = yaml.safe_load(block)["prometheus"]["signals"]
    assert "request_rate" in {s["name"] for s in suggested}
    assert "http_server_requests_seconds_count" in block

    base["prometheus"]["signals"] = suggested
    config = write_config(tmp_path / "after.yaml", base)
    _, checks = doctor(environment(platform, metrics, migrated_db, config))
    detail = checks["prometheus.signals.orders"]["detail"]
    assert "request_rate" in detail.split("no data for")[0]


def test_all_green_when_everything_is_in_place(
    platform: FakePlatform,
    metrics: Metrics,
    simulator: KubeSimulator,
    migrated_db: str,
    tmp_path: Path,
) -> None:
    config = write_config(
        tmp_path / "cloudops.yaml",
        {
            "prometheus": {"services": services(metrics.full)},
            "approvals": {"approvers": [{"open_id": "ou_lead", "namespaces": ["shop"]}]},
            "cluster": {"kubeconfig": str(simulator.kubeconfig_path())},
            "doctor": {"lookback": "3h", "timeout_seconds": 20},
        },
    )
    code, checks = doctor(environment(platform, metrics, migrated_db, config))
    assert {c["status"] for c in checks.values()} == {"ok"}, json.dumps(checks, indent=1)
    assert code == 0
    for name in (
        "feishu.scopes",
        "feishu.feature_scopes",
        "feishu.transport",
        "prometheus.signals.storefront",
        "prometheus.pods.storefront",
        "kubernetes.read.shop",
        "kubernetes.fix.shop",
        "store.migrations",
        "approvals",
    ):
        assert name in checks
