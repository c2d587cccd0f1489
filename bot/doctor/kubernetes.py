"""Kubernetes: the API server answers, and SelfSubjectAccessReview says the bot may do
what it needs: read rights in every namespace it looks at, fix rights (the
``cloudops-fixer`` Role) in every namespace approvers may approve fixes for."""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from typing import Any

from kubernetes import client

from bot.doctor.approvals import approver_namespaces, service_namespaces
from bot.doctor.inputs import DoctorInput
from bot.doctor.result import Check
from cluster import ClusterAccess
from cluster.calls import call_kubernetes
from config.sections import ClusterSettings
from config.settings import Settings

__all__ = [
    "FIX_RIGHTS",
    "READ_RIGHTS",
    "Rights",
    "kubernetes_checks",
    "rbac_namespaces",
    "review_rights",
    "server_version",
]

# (verb, API group, resource[/subresource])
READ_RIGHTS: tuple[tuple[str, str, str], ...] = (
    ("list", "", "pods"),
    ("get", "", "pods/log"),
    ("list", "", "events"),
    ("get", "apps", "deployments"),
    ("list", "apps", "deployments"),
    ("list", "apps", "replicasets"),
)
FIX_RIGHTS: tuple[tuple[str, str, str], ...] = (
    ("patch", "apps", "deployments"),
    ("patch", "apps", "deployments/scale"),
    ("get", "apps", "replicasets"),
    ("list", "apps", "replicasets"),
)
SERVICE_ACCOUNT = "system:serviceaccount:cloudops:cloudops"


def _access(config: ClusterSettings, api_client: Any, timeout: float) -> ClusterAccess:
    if isinstance(api_client, client.ApiClient):
        return ClusterAccess(api_client, request_timeout=timeout)
    if config.kubeconfig or config.context:
        path = config.kubeconfig
        return ClusterAccess.from_kubeconfig(
            os.path.expanduser(path) if path else None,
            config.context,
            request_timeout=timeout,
        )
    return ClusterAccess.from_environment(request_timeout=timeout)


async def _allowed(access: ClusterAccess, namespace: str, right: tuple[str, str, str]) -> bool:
    verb, group, resource = right
    name, _, sub = resource.partition("/")
    attributes = client.V1ResourceAttributes(
        namespace=namespace, verb=verb, group=group, resource=name, subresource=sub or None
    )
    body = client.V1SelfSubjectAccessReview(
        spec=client.V1SelfSubjectAccessReviewSpec(resource_attributes=attributes)
    )
    api = client.AuthorizationV1Api(access.api_client)
    answer: Any = await call_kubernetes(
        "create_self_subject_access_review",
        api.create_self_subject_access_review,
        body,
        _request_timeout=access.request_timeout,
    )
    return bool(answer.status and answer.status.allowed)


def _label(right: tuple[str, str, str]) -> str:
    verb, group, resource = right
    return f"{verb} {resource}" + (f".{group}" if group else "")


async def _denied(
    access: ClusterAccess, namespace: str, rights: tuple[tuple[str, str, str], ...]
) -> list[str]:
    answers = await asyncio.gather(*(_allowed(access, namespace, r) for r in rights))
    return [_label(right) for right, ok in zip(rights, answers, strict=True) if not ok]


def rbac_namespaces(settings: Settings, cluster: str | None = None) -> tuple[list[str], list[str]]:
    """(namespaces the bot reads, namespaces it applies fixes in): every configured
    service's namespace and every namespace approvers may approve fixes for (of
    ``cluster``'s approvers, when given); ``default`` when nothing is configured."""
    fixing = sorted(ns for ns in approver_namespaces(settings, cluster) if ns != "*")
    reading = sorted(set(service_namespaces(settings).values()) | set(fixing)) or ["default"]
    return reading, fixing


@dataclass(frozen=True)
class Rights:
    """What SelfSubjectAccessReview refused, per namespace (``_label``s, empty: all
    granted): ``READ_RIGHTS`` where the bot reads, ``FIX_RIGHTS`` where it fixes."""

    reading: dict[str, list[str]]
    fixing: dict[str, list[str]]

    def checks(self) -> list[Check]:
        """One check per namespace and kind (``kubernetes.read.<ns>``, ``.fix.<ns>``)."""
        return [_read_check(ns, d) for ns, d in self.reading.items()] + [
            _fix_check(ns, d) for ns, d in self.fixing.items()
        ]

    def missing(self) -> list[str]:
        """Every refused right with its namespace: ``patch deployments.apps in payments``."""
        found = [*self.reading.items(), *self.fixing.items()]
        return list(dict.fromkeys(f"{label} in {ns}" for ns, labels in found for label in labels))


async def review_rights(
    access: ClusterAccess, settings: Settings, cluster: str | None = None
) -> Rights:
    """Ask the API server, concurrently, for every right the bot needs (see
    ``rbac_namespaces``)."""
    reading, fixing = rbac_namespaces(settings, cluster)
    reads = await asyncio.gather(*(_denied(access, ns, READ_RIGHTS) for ns in reading))
    fixes = await asyncio.gather(*(_denied(access, ns, FIX_RIGHTS) for ns in fixing))
    return Rights(dict(zip(reading, reads, strict=True)), dict(zip(fixing, fixes, strict=True)))


async def server_version(access: ClusterAccess) -> str:
    """GET /version: the API server's ``gitVersion`` (``?`` when it has none); raises a
    ClusterError when it does not answer."""
    version = client.VersionApi(access.api_client)
    raw: Any = await call_kubernetes(  # raw: a strict model rejects partial answers
        "get_code",
        version.get_code,
        _preload_content=False,
        _request_timeout=access.request_timeout,
    )
    try:
        info = json.loads(raw.data or b"{}")
    finally:
        raw.release_conn()
    return str(info.get("gitVersion", "?")) if isinstance(info, dict) else "?"


def _read_check(namespace: str, denied: list[str]) -> Check:
    name = f"kubernetes.read.{namespace}"
    if not denied:
        return Check.ok(name, f"may read pods, logs, events, deployments in {namespace}")
    return Check.fail(
        name,
        f"not allowed in {namespace}: {', '.join(denied)}",
        "apply the read-only ClusterRole: kubectl apply -k deploy/kubernetes/overlays/<overlay>; "
        f"prove it: kubectl auth can-i list pods -n {namespace} --as {SERVICE_ACCOUNT}",
    )


def _fix_check(namespace: str, denied: list[str]) -> Check:
    name = f"kubernetes.fix.{namespace}"
    if not denied:
        return Check.ok(name, f"may apply approved fixes in {namespace}")
    return Check.fail(
        name,
        f"approvers may approve fixes in {namespace} but the bot may not: {', '.join(denied)}",
        f"cp -r deploy/kubernetes/fixes/example-app deploy/kubernetes/fixes/{namespace} && "
        f"sed -i 's/^namespace: example-app$/namespace: {namespace}/' "
        f"deploy/kubernetes/fixes/{namespace}/kustomization.yaml && "
        f"kubectl apply -k deploy/kubernetes/fixes/{namespace}; prove it: kubectl auth can-i "
        f"patch deployments.apps -n {namespace} --as {SERVICE_ACCOUNT}",
    )


async def kubernetes_checks(inputs: DoctorInput) -> list[Check]:
    settings = inputs.settings
    config = settings.cluster
    if not config.enabled:
        return [Check.ok("kubernetes", "disabled (cluster.enabled: false)")]
    api_client = (inputs.extra.get("cluster") or {}).get("api_client", config.api_client)
    try:
        access = _access(config, api_client, inputs.timeout)
    except Exception as exc:
        return [
            Check.fail(
                "kubernetes.reachable",
                f"no cluster configuration: {type(exc).__name__}",
                "run in the cluster with the cloudops ServiceAccount, or set KUBECONFIG "
                "(or cluster.kubeconfig / cluster.context in the CLOUDOPS_CONFIG file)",
            )
        ]
    try:
        checks = [
            Check.ok(
                "kubernetes.reachable",
                f"API server {await server_version(access)} at "
                f"{access.api_client.configuration.host}",
            )
        ]
        return checks + (await review_rights(access, settings)).checks()
    except Exception as exc:
        return [
            Check.fail(
                "kubernetes.reachable",
                f"{type(exc).__name__}: {str(exc)[:200]}",
                "check KUBECONFIG / the ServiceAccount token; prove it: kubectl version",
            )
        ]
    finally:
        if not isinstance(api_client, client.ApiClient):
            access.api_client.close()  # type: ignore[no-untyped-call]
