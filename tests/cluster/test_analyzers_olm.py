"""Table tests for the OLM analyzers: CatalogSource, ClusterServiceVersion, InstallPlan,
Subscription, OperatorGroup (OLM v0) and ClusterCatalog, ClusterExtension (OLM v1)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from cluster.analyzers import (
    catalogsource,
    clustercatalog,
    clusterextension,
    clusterserviceversion,
    installplan,
    operatorgroup,
    subscription,
)
from tests.cluster.kinds import NOW, condition, meta, view


def stamp(minutes_ago: float) -> str:
    return (NOW - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def source(state: str | None) -> dict:
    status = {"connectionState": {"lastObservedState": state, "address": "c.svc:50051"}}
    return {
        "metadata": meta("community"),
        "spec": {"image": "q/c:1"},
        "status": status if state else {},
    }


SOURCE_CASES = [
    pytest.param(source("READY"), [], id="ready"),
    pytest.param(source(None), [], id="not-observed-yet"),
    pytest.param(source("TRANSIENT_FAILURE"), [("catalogsource_not_ready", "warning")], id="fail"),
    pytest.param(source("CONNECTING"), [("catalogsource_not_ready", "warning")], id="connecting"),
]


@pytest.mark.parametrize(("obj", "expected"), SOURCE_CASES)
def test_catalog_source(obj: dict, expected: list) -> None:
    found = catalogsource.check(view(catalog_sources=[obj]))
    assert [(f.problem, f.severity) for f in found] == expected
    for finding in found:
        assert finding.object == "shop/CatalogSource/community"
        assert finding.evidence["state"] == obj["status"]["connectionState"]["lastObservedState"]


def csv(phase: str, minutes_ago: float = 1, copied: bool = False, **status: Any) -> dict:
    labels = {"olm.copiedFrom": "operators"} if copied else {}
    body = {"phase": phase, "lastTransitionTime": stamp(minutes_ago), **status}
    return {"metadata": meta("etcd.v1", labels=labels), "status": body}


CSV_CASES = [
    pytest.param(csv("Succeeded", 600), [], id="succeeded"),
    pytest.param(csv("Replacing", 600), [], id="upgrade-at-work"),
    pytest.param(csv("Installing", 5), [], id="installing-briefly"),
    pytest.param(
        csv("Failed", reason="TooManyOperatorGroups", message="multiple operatorgroups"),
        [("csv_failed", "critical")],
        id="failed",
    ),
    pytest.param(csv("Failed", copied=True), [], id="copy-of-a-failed-csv"),
    pytest.param(csv("Installing", 30), [("csv_not_succeeded", "warning")], id="stuck"),
    pytest.param(csv("Pending", 11), [("csv_not_succeeded", "warning")], id="pending"),
]


@pytest.mark.parametrize(("obj", "expected"), CSV_CASES)
def test_cluster_service_version(obj: dict, expected: list) -> None:
    found = clusterserviceversion.check(view(cluster_service_versions=[obj]))
    assert [(f.problem, f.severity) for f in found] == expected
    if expected == [("csv_failed", "critical")]:
        assert found[0].evidence["reason"] == "TooManyOperatorGroups"
    if expected == [("csv_not_succeeded", "warning")]:
        assert int(found[0].evidence["minutes"]) >= 10


def plan(phase: str, approved: bool = True, **conds: tuple) -> dict:
    return {
        "metadata": meta("install-x"),
        "spec": {"approved": approved, "clusterServiceVersionNames": ["a.v2", "b.v1"]},
        "status": {"phase": phase, "conditions": [condition(k, *v) for k, v in conds.items()]},
    }


PLAN_CASES = [
    pytest.param(plan("Complete", Installed=("True", "")), [], id="complete"),
    pytest.param(plan("Installing"), [], id="installing"),
    pytest.param(
        plan("Failed", Installed=("False", "InstallComponentFailed", "webhook denied")),
        [("installplan_failed", "critical")],
        id="failed",
    ),
    pytest.param(
        plan("RequiresApproval", approved=False),
        [("installplan_awaiting_approval", "info")],
        id="manual",
    ),
]


@pytest.mark.parametrize(("obj", "expected"), PLAN_CASES)
def test_install_plan(obj: dict, expected: list) -> None:
    found = installplan.check(view(install_plans=[obj]))
    assert [(f.problem, f.severity) for f in found] == expected
    for finding in found:
        assert finding.evidence["csvs"] == "a.v2, b.v1"
    if found and found[0].problem == "installplan_failed":
        assert found[0].evidence["reason"] == "InstallComponentFailed"


def sub(state: str = "AtLatestKnown", **conds: tuple) -> dict:
    return {
        "metadata": meta("etcd"),
        "spec": {"name": "etcd", "source": "community", "channel": "stable"},
        "status": {"state": state, "conditions": [condition(k, *v) for k, v in conds.items()]},
    }


SUB_CASES = [
    pytest.param(
        sub(CatalogSourcesUnhealthy=("False", "AllCatalogSourcesHealthy")), [], id="healthy"
    ),
    pytest.param(
        sub(ResolutionFailed=("True", "ConstraintsNotSatisfiable", "no operators found")),
        [("subscription_failing", "warning", "ResolutionFailed")],
        id="resolution",
    ),
    pytest.param(
        sub(
            CatalogSourcesUnhealthy=("True", "UnhealthyCatalogSourceFound"),
            ResolutionFailed=("True", "ConstraintsNotSatisfiable"),
        ),
        [("subscription_failing", "warning", "ResolutionFailed")],
        id="resolution-named-first",
    ),
    pytest.param(
        sub(CatalogSourcesUnhealthy=("True", "UnhealthyCatalogSourceFound")),
        [("subscription_failing", "warning", "CatalogSourcesUnhealthy")],
        id="catalogs",
    ),
    pytest.param(
        sub("UpgradeFailed"), [("subscription_failing", "warning", "UpgradeFailed")], id="upgrade"
    ),
]


@pytest.mark.parametrize(("obj", "expected"), SUB_CASES)
def test_subscription(obj: dict, expected: list) -> None:
    found = subscription.check(view(subscriptions=[obj]))
    assert [(f.problem, f.severity, f.evidence["condition"]) for f in found] == expected


def group(name: str) -> dict:
    return {"metadata": meta(name), "spec": {}}


GROUP_CASES = [
    pytest.param([group("og")], [sub()], (), [], id="one"),
    pytest.param([], [], (), [], id="none-and-no-subscription"),
    pytest.param(
        [group("b"), group("a")],
        [],
        (),
        [("shop/OperatorGroup/a", "operatorgroup_multiple", "critical")],
        id="two",
    ),
    pytest.param(
        [],
        [sub()],
        (),
        [("shop/Subscription/etcd", "operatorgroup_missing", "critical")],
        id="missing",
    ),
    pytest.param([], [sub()], ("operator_groups",), [], id="missing-but-unreadable"),
]


@pytest.mark.parametrize(("groups", "subs", "unreadable", "expected"), GROUP_CASES)
def test_operator_group(groups: list, subs: list, unreadable: tuple, expected: list) -> None:
    found = operatorgroup.check(
        view(operator_groups=groups, subscriptions=subs, unreadable=unreadable)
    )
    assert [(f.object, f.problem, f.severity) for f in found] == expected
    if found and found[0].problem == "operatorgroup_multiple":
        assert found[0].evidence["groups"] == "a, b"


def catalog(mode: str = "Available", **conds: tuple) -> dict:
    return {
        "metadata": {"name": "operatorhubio"},
        "spec": {"availabilityMode": mode, "source": {"image": {"ref": "q/catalog:latest"}}},
        "status": {"conditions": [condition(k, *v) for k, v in conds.items()]},
    }


def extension(into: str = "shop", **conds: tuple) -> dict:
    return {
        "metadata": {"name": "argocd"},
        "spec": {"namespace": into, "source": {"catalog": {"packageName": "argocd-operator"}}},
        "status": {"conditions": [condition(k, *v) for k, v in conds.items()]},
    }


INSTALLED = extension(Installed=("True", "Succeeded"), Progressing=("True", "Succeeded"))
CATALOG_CASES = [
    pytest.param(
        catalog(Serving=("True", "Available"), Progressing=("True", "Succeeded")), [], id="serving"
    ),
    pytest.param(catalog(), [], id="not-reconciled-yet"),
    pytest.param(
        catalog("Unavailable", Serving=("False", "UserSpecifiedUnavailable")), [], id="switched-off"
    ),
    pytest.param(
        catalog(Serving=("False", "Unavailable"), Progressing=("True", "Retrying", "401")),
        [("clustercatalog_not_serving", "warning", "Retrying")],
        id="not-serving",
    ),
    pytest.param(
        catalog(Serving=("True", "Available"), Progressing=("False", "Blocked", "bad ref")),
        [("clustercatalog_progressing_failed", "warning", "Blocked")],
        id="blocked",
    ),
]


@pytest.mark.parametrize(("obj", "expected"), CATALOG_CASES)
def test_cluster_catalog(obj: dict, expected: list) -> None:
    found = clustercatalog.check(view(cluster_catalogs=[obj], cluster_extensions=[INSTALLED]))
    assert [(f.problem, f.severity, f.evidence["reason"]) for f in found] == expected
    assert all(f.object == "/ClusterCatalog/operatorhubio" for f in found)


def test_a_catalog_matters_to_namespaces_extensions_install_into() -> None:
    broken = catalog(Serving=("False", "Unavailable"))
    elsewhere = view(cluster_catalogs=[broken], cluster_extensions=[extension("other")])
    assert clustercatalog.check(elsewhere) == []
    assert len(clustercatalog.check(elsewhere, every_catalog=True)) == 1


EXTENSION_CASES = [
    pytest.param(INSTALLED, [], id="installed"),
    pytest.param(extension(), [], id="not-reconciled-yet"),
    pytest.param(
        extension(Installed=("False", "Failed"), Progressing=("True", "Retrying", "no bundles")),
        [("clusterextension_not_installed", "critical", "Retrying")],
        id="not-installed",
    ),
    pytest.param(
        extension(Installed=("True", "Succeeded"), Progressing=("False", "Blocked", "denied")),
        [("clusterextension_progressing_failed", "warning", "Blocked")],
        id="upgrade-blocked",
    ),
]


@pytest.mark.parametrize(("obj", "expected"), EXTENSION_CASES)
def test_cluster_extension(obj: dict, expected: list) -> None:
    found = clusterextension.check(view(cluster_extensions=[obj]))
    assert [(f.problem, f.severity, f.evidence["reason"]) for f in found] == expected
    assert all(f.object == "/ClusterExtension/argocd" for f in found)
    assert all(f.evidence["package"] == "argocd-operator" for f in found)


def test_an_extension_is_reported_where_it_installs_or_when_asked_for() -> None:
    broken = extension("other", Installed=("False", "Failed"))
    assert clusterextension.check(view(cluster_extensions=[broken])) == []
    found = clusterextension.check(view(cluster_extensions=[broken]), every_extension=True)
    assert [f.problem for f in found] == ["clusterextension_not_installed"]
