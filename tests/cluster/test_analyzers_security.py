"""Table tests for the Security analyzer: per workload, not per pod; quiet by default."""

from __future__ import annotations

import pytest

from cluster.analyzers import security
from tests.cluster.kinds import meta, owner, pod, view, workload


def with_spec(obj: dict, container: dict | None = None, **spec: object) -> dict:
    template = obj["spec"]["template"]["spec"]
    template.update(spec)
    if container is not None:
        template["containers"][0]["securityContext"] = container
    return obj


def account(name: str, **extra: object) -> dict:
    return {"metadata": meta(name), **extra}


OWN_SA = {"serviceAccountName": "web", "automountServiceAccountToken": False}
WEB_SA = account("web")
RS = {"metadata": meta("web-abc", ownerReferences=owner("Deployment", "web"))}
POD = pod("web-abc-1", owned_by=("ReplicaSet", "web-abc"))
POD["spec"]["securityContext"] = {}
POD["spec"]["containers"][0]["securityContext"] = {"privileged": True}  # a pod is not reported

CASES = [
    # Healthy: its own ServiceAccount, nothing privileged.
    pytest.param(
        view(
            deployments=[with_spec(workload("Deployment", "web"), **OWN_SA)],
            service_accounts=[WEB_SA, account("default")],
        ),
        [],
        id="healthy",
    ),
    # The pods of a Deployment count for the Deployment: one finding, on its template.
    pytest.param(
        view(
            deployments=[with_spec(workload("Deployment", "web"), {"privileged": True}, **OWN_SA)],
            replica_sets=[RS],
            pods=[POD],
            service_accounts=[WEB_SA],
        ),
        [("shop/Deployment/web", "privileged_container", "warning")],
        id="privileged",
    ),
    pytest.param(
        view(
            daemon_sets=[
                with_spec(workload("DaemonSet", "agent"), hostNetwork=True, hostPID=True, **OWN_SA)
            ],
            service_accounts=[WEB_SA],
        ),
        [("shop/DaemonSet/agent", "host_namespace", "warning")],
        id="host-namespaces",
    ),
    pytest.param(
        view(
            deployments=[
                with_spec(
                    workload("Deployment", "vpn"),
                    {"capabilities": {"add": ["NET_ADMIN", "CHOWN"]}},
                    **OWN_SA,
                )
            ],
            service_accounts=[WEB_SA],
        ),
        [("shop/Deployment/vpn", "dangerous_capability", "warning")],
        id="net-admin",
    ),
    # Harmless added capabilities say nothing.
    pytest.param(
        view(
            deployments=[
                with_spec(
                    workload("Deployment", "web"),
                    {"capabilities": {"add": ["NET_BIND_SERVICE"]}},
                    **OWN_SA,
                )
            ],
            service_accounts=[WEB_SA],
        ),
        [],
        id="bind-service",
    ),
    # A CronJob's template names a ServiceAccount that does not exist: its Jobs are not
    # reported again.
    pytest.param(
        view(
            cron_jobs=[
                {
                    "metadata": meta("report"),
                    "spec": {
                        "jobTemplate": {
                            "spec": {
                                "template": {
                                    "spec": {"serviceAccountName": "reporter", "containers": []}
                                }
                            }
                        }
                    },
                }
            ],
            jobs=[
                {
                    "metadata": meta("report-1", ownerReferences=owner("CronJob", "report")),
                    "spec": {"template": {"spec": {"serviceAccountName": "reporter"}}},
                }
            ],
            service_accounts=[account("default", automountServiceAccountToken=False)],
        ),
        [("shop/CronJob/report", "service_account_missing", "critical")],
        id="account-missing",
    ),
    # Without the ServiceAccounts (RBAC) nothing about accounts is said.
    pytest.param(
        view(
            deployments=[with_spec(workload("Deployment", "web"), serviceAccountName="gone")],
            unreadable=("service_accounts",),
        ),
        [],
        id="accounts-unreadable",
    ),
    # The default ServiceAccount hands its token to two workloads: one finding, on it.
    pytest.param(
        view(
            deployments=[
                workload("Deployment", "a"),
                workload("Deployment", "b"),
                with_spec(workload("Deployment", "c"), automountServiceAccountToken=False),
            ],
            service_accounts=[account("default")],
        ),
        [("shop/ServiceAccount/default", "default_service_account_token", "info")],
        id="default-token",
    ),
    # A bare pod is its own object.
    pytest.param(
        view(pods=[{**POD, "metadata": meta("debug")}], service_accounts=[account("default")]),
        [
            ("shop/Pod/debug", "privileged_container", "warning"),
            ("shop/ServiceAccount/default", "default_service_account_token", "info"),
        ],
        id="bare-pod",
    ),
]


@pytest.mark.parametrize("obj, expected", CASES)
def test_security(obj, expected) -> None:
    found = security.check(obj)
    assert [(f.object, f.problem, f.severity) for f in found] == expected


def test_default_token_names_the_first_workloads() -> None:
    names = [workload("Deployment", n) for n in "abcde"]
    (finding,) = security.check(view(deployments=names, service_accounts=[account("default")]))
    assert finding.evidence == {
        "workloads": "5",
        "names": "Deployment/a, Deployment/b, Deployment/c (+2)",
    }
