"""``cloudops clusters check`` against two cluster simulators over HTTP (one reached by
kubeconfig, one by ``api_server`` + ``token_env``) and a real Prometheus: every cluster's
API server, the RBAC rights the bot needs and its Prometheus, one row each."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.cluster import KubeSimulator, World
from tests.doctor.conftest import Metrics, write_config
from tests.in_process_cli import Outcome, cloudops

TOKEN = "west-bearer-token-8f3a91"
DOWN = "http://127.0.0.1:9"  # nothing listens


@pytest.fixture
def east() -> Iterator[KubeSimulator]:
    with KubeSimulator(World()) as sim:
        yield sim


@pytest.fixture
def west() -> Iterator[KubeSimulator]:
    with KubeSimulator(World()) as sim:
        yield sim


def config(
    tmp_path: Path, east: KubeSimulator, west: KubeSimulator, east_prom: str, west_prom: str
) -> str:
    return write_config(
        tmp_path / "cloudops.yaml",
        {
            "clusters": [
                {
                    "name": "east",
                    "kubeconfig": str(east.kubeconfig_path()),
                    "prometheus": {"url": east_prom},
                },
                {
                    "name": "west",
                    "api_server": west.url,
                    "token_env": "WEST_TOKEN",
                    "prometheus": {"url": west_prom},
                },
            ],
            "prometheus": {"services": {"storefront": {"namespace": "shop"}}},
            "approvals": {
                "approvers": [
                    {"open_id": "ou_lead", "namespaces": ["payments"]},
                    {"open_id": "ou_east", "namespaces": ["orders"], "clusters": ["east"]},
                ]
            },
            "doctor": {"timeout_seconds": 5},
        },
    )


def check(path: str, *flags: str, token: str | None = TOKEN) -> Outcome:
    env = {"CLOUDOPS_CONFIG": path, **({"WEST_TOKEN": token} if token else {})}
    return cloudops("clusters", "check", *flags, env=env)


def rows(outcome: Outcome) -> dict[tuple[str, str], dict[str, Any]]:
    checks = json.loads(outcome.stdout)["checks"]
    assert all(set(c) == {"cluster", "check", "status", "detail", "fix"} for c in checks)
    return {(c["cluster"], c["check"]): c for c in checks}


def line(table: str, cluster: str, name: str) -> str:
    found = [ln for ln in table.splitlines() if ln.split()[:2] == [cluster, name]]
    assert len(found) == 1, table
    return found[0]


def test_a_missing_verb_names_the_cluster_and_fails(
    tmp_path: Path, east: KubeSimulator, west: KubeSimulator, metrics: Metrics
) -> None:
    west.rbac.deny("patch", "deployments", group="apps", namespace="payments")
    west.rbac.deny("patch", "deployments", group="apps", namespace="orders")  # nobody's to fix
    path = config(tmp_path, east, west, metrics.url, metrics.url)

    outcome = check(path)

    assert outcome.returncode == 1
    table = outcome.stdout
    rbac = line(table, "west", "rbac")
    assert rbac.split()[2] == "fail"
    assert "patch deployments.apps in payments" in rbac
    assert "orders" not in rbac  # only east's approvers fix in orders
    for name in ("api", "prometheus"):
        assert line(table, "west", name).split()[2] == "ok"
    for name in ("api", "rbac", "prometheus"):
        assert line(table, "east", name).split()[2] == "ok"
    assert "fix in orders, payments" in line(table, "east", "rbac")
    assert "kubectl auth can-i patch deployments.apps -n payments" in table  # the fix
    assert "failing: west" in table
    # Each cluster was asked about its own rights, over HTTP.
    assert east.requests_to("POST", "selfsubjectaccessreviews")
    assert west.requests_to("POST", "selfsubjectaccessreviews")

    found = rows(check(path, "--json"))
    assert found[("west", "rbac")]["status"] == "fail"
    assert "patch deployments.apps in payments" in found[("west", "rbac")]["detail"]
    assert {k: v["status"] for k, v in found.items() if k[0] == "east"} == {
        ("east", "api"): "ok",
        ("east", "rbac"): "ok",
        ("east", "prometheus"): "ok",
    }


def test_every_cluster_passing_exits_0(
    tmp_path: Path, east: KubeSimulator, west: KubeSimulator, metrics: Metrics
) -> None:
    outcome = check(config(tmp_path, east, west, metrics.url, metrics.url), "--json")
    assert outcome.returncode == 0, outcome.stdout
    found = rows(outcome)
    assert sorted(found) == [
        (cluster, name) for cluster in ("east", "west") for name in ("api", "prometheus", "rbac")
    ]
    assert {v["status"] for v in found.values()} == {"ok"}


def test_a_prometheus_down_and_an_unset_token_fail_their_cluster_only(
    tmp_path: Path, east: KubeSimulator, west: KubeSimulator, metrics: Metrics
) -> None:
    path = config(tmp_path, east, west, metrics.url, f"http://admin:prom-pass-5521@{DOWN[7:]}")

    outcome = check(path, "--json", token=None)

    assert outcome.returncode == 1
    found = rows(outcome)
    assert found[("west", "prometheus")]["status"] == "fail"
    assert "unreachable" in found[("west", "prometheus")]["detail"]
    assert "prom-pass-5521" not in outcome.stdout  # the password in the URL is never shown
    assert found[("west", "api")]["status"] == "fail"
    assert "WEST_TOKEN is not set" in found[("west", "api")]["detail"]
    assert found[("west", "rbac")]["status"] == "fail"
    assert not west.requests  # without its token, west's API server was never called
    assert {v["status"] for k, v in found.items() if k[0] == "east"} == {"ok"}


def test_a_refused_token_fails_api_and_is_never_shown(
    tmp_path: Path, east: KubeSimulator, west: KubeSimulator, metrics: Metrics
) -> None:
    west.inject_fault("/version", status=401)
    outcome = check(config(tmp_path, east, west, metrics.url, metrics.url))
    assert outcome.returncode == 1
    assert line(outcome.stdout, "west", "api").split()[2] == "fail"
    assert TOKEN not in outcome.stdout + outcome.stderr
