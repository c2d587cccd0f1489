"""Only cluster/executor.py may call a mutating Kubernetes API, and only to patch deployments."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import kubernetes.client

PACKAGE = Path(__file__).resolve().parents[2] / "cluster"
VERBS = ("patch_", "create_", "delete_", "replace_")


def mutating_method_names() -> set[str]:
    """Every mutating method the official client offers (read from the client itself)."""
    names: set[str] = set()
    for _, api in inspect.getmembers(kubernetes.client, inspect.isclass):
        if api.__name__.endswith("Api") and api.__module__.startswith("kubernetes.client.api"):
            names |= {n for n in dir(api) if n.startswith(VERBS)}
    return names


def test_the_client_really_has_mutating_methods() -> None:
    # Guards the test below against an empty list (e.g. a renamed client module).
    assert {
        "patch_namespaced_deployment",
        "delete_namespaced_pod",
        "create_namespaced_deployment",
    } <= mutating_method_names()


def test_mutating_calls_occur_only_in_the_executor() -> None:
    pattern = re.compile(
        r"\b(" + "|".join(sorted(mutating_method_names(), key=len, reverse=True)) + r")\b"
    )
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        names = set(pattern.findall(path.read_text(encoding="utf-8")))
        if names:
            found[str(path.relative_to(PACKAGE))] = names
    # Deployments, and since fixes reach them, StatefulSets and DaemonSets; beyond workloads
    # (approved plans with their Undo): CronJobs, Nodes and Services are patched, a failed
    # Job is re-run as a new Job and that re-run deleted on Undo. All in executor.py.
    assert found == {
        "executor.py": {
            "patch_namespaced_deployment",
            "patch_namespaced_stateful_set",
            "patch_namespaced_daemon_set",
            "patch_namespaced_cron_job",
            "patch_node",
            "patch_namespaced_service",
            "create_namespaced_job",
            "delete_namespaced_job",
        }
    }


def test_no_raw_requests_bypass_the_typed_client() -> None:
    # ApiClient.call_api / .request and raw write verbs would bypass the check above.
    raw = re.compile(r"\.call_api\(|\.request\(|[\"'](PATCH|POST|PUT|DELETE)[\"']")
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "simulator" not in path.parts and raw.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
