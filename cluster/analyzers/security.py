"""Security, in k8sgpt's manner but kept quiet: per object a person fixes (a workload's,
Job's or CronJob's pod template; a pod with no such owner), containers that run
privileged, host namespaces (hostNetwork/hostPID/hostIPC), the capabilities that amount
to root on the node (SYS_ADMIN, NET_ADMIN, ALL), and a ServiceAccount that does not exist;
per namespace, the ``default`` ServiceAccount handing its API token to workloads.

``default`` is never "missing": the API server recreates it in every namespace. Without
the ServiceAccounts (RBAC) nothing about accounts is said."""

from __future__ import annotations

from cluster.analyzers.templates import containers, pod_specs
from cluster.finding import Finding
from cluster.snapshot import Json
from cluster.view import NamespaceView

KIND = "Pod templates, ServiceAccount"
PROBLEMS = (
    "privileged_container",
    "host_namespace",
    "dangerous_capability",
    "service_account_missing",
    "default_service_account_token",
)
HOST_NAMESPACES = ("hostNetwork", "hostPID", "hostIPC")
DANGEROUS = ("ALL", "SYS_ADMIN", "NET_ADMIN")
SHOWN = 3  # names listed per finding


def _listed(names: list[str]) -> str:
    more = f" (+{len(names) - SHOWN})" if len(names) > SHOWN else ""
    return ", ".join(names[:SHOWN]) + more


def _capabilities(container: Json) -> list[str]:
    added = ((container.get("securityContext") or {}).get("capabilities") or {}).get("add") or []
    names = {str(c).upper().removeprefix("CAP_") for c in added}
    return [c for c in DANGEROUS if c in names]


def _account(spec: Json) -> str:
    return str(spec.get("serviceAccountName") or spec.get("serviceAccount") or "default")


def _template_findings(key: str, spec: Json, accounts: dict[str, Json] | None) -> list[Finding]:
    found: list[Finding] = []
    workload = key.split("/", 1)[1]
    privileged = [
        str(c.get("name"))
        for c in containers(spec)
        if (c.get("securityContext") or {}).get("privileged")
    ]
    if privileged:
        evidence = {"workload": workload, "containers": _listed(privileged)}
        found.append(Finding(key, PROBLEMS[0], evidence, "warning"))
    shared = [name for name in HOST_NAMESPACES if spec.get(name)]
    if shared:
        evidence = {"workload": workload, "namespaces": ", ".join(shared)}
        found.append(Finding(key, PROBLEMS[1], evidence, "warning"))
    granted = {str(c.get("name")): _capabilities(c) for c in containers(spec)}
    granted = {name: caps for name, caps in granted.items() if caps}
    if granted:
        caps = sorted({c for found_caps in granted.values() for c in found_caps})
        evidence = {
            "workload": workload,
            "containers": _listed(sorted(granted)),
            "capabilities": ", ".join(caps),
        }
        found.append(Finding(key, PROBLEMS[2], evidence, "warning"))
    account = _account(spec)
    if accounts is not None and account != "default" and account not in accounts:
        evidence = {"workload": workload, "service_account": account}
        found.append(Finding(key, PROBLEMS[3], evidence, "critical"))
    return found


def check(view: NamespaceView) -> list[Finding]:
    readable = "service_accounts" not in view.unreadable
    accounts = {str(a["metadata"]["name"]): a for a in view.service_accounts} if readable else None
    findings: list[Finding] = []
    users: list[str] = []
    for key, spec in pod_specs(view):
        findings.extend(_template_findings(key, spec, accounts))
        if _account(spec) == "default" and spec.get("automountServiceAccountToken") is not False:
            users.append(key.split("/", 1)[1])
    default = (accounts or {}).get("default")
    if default is not None and default.get("automountServiceAccountToken") is not False and users:
        evidence = {"workloads": str(len(users)), "names": _listed(users)}
        key = view.key("ServiceAccount", "default")
        findings.append(Finding(key, PROBLEMS[4], evidence, "info"))
    return findings
