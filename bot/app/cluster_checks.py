"""``cloudops clusters check``: for every configured cluster (``clusters:``, or the single
``default``), whether its API server answers (``GET /version``), whether
SelfSubjectAccessReview grants the rights the bot needs (the doctor's lists and namespaces,
``bot.doctor.kubernetes``) and whether its Prometheus answers a query (the doctor's ping).

rows = await check_clusters(settings, timeout=settings.doctor.timeout_seconds)
render_table(rows), to_json(rows), exit_code(rows)

Clusters are checked concurrently; each check is bounded by ``timeout`` (the rights, a
few reviews per namespace, by twice that, like a doctor area). Every text shown passes
``config.scrub``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any

from kubernetes import client

from bot.app.capabilities import prometheus_source
from bot.app.cluster import access_for
from bot.doctor.kubernetes import review_rights, server_version
from bot.doctor.prometheus import ping_check
from bot.doctor.redaction import shown_url
from bot.doctor.result import Check
from bot.doctor.result import exit_code as any_failed
from cluster import ClusterAccess
from config.scrub import scrub
from config.settings import ClusterEntry, Settings

__all__ = [
    "API",
    "PROMETHEUS",
    "RBAC",
    "ClusterCheck",
    "check_clusters",
    "entry_secrets",
    "exit_code",
    "render_table",
    "to_json",
]

API, RBAC, PROMETHEUS = "api", "rbac", "prometheus"


@dataclass(frozen=True)
class ClusterCheck:
    """One row: a check (named ``api``, ``rbac`` or ``prometheus``) of one cluster."""

    cluster: str
    check: Check


def _error(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return scrub(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)[:300]


async def _within(name: str, work: Awaitable[Check], timeout: float, fix: str) -> Check:
    """``work``'s check, or a failed one when it raises or takes over ``timeout``."""
    try:
        return await asyncio.wait_for(work, timeout)
    except TimeoutError:
        return Check.fail(name, f"no answer within {timeout:g}s", fix)
    except Exception as exc:  # a check reports, never crashes the command
        return Check.fail(name, _error(exc), fix)


def _where(entry: ClusterEntry, settings: Settings) -> str:
    return f"clusters[{entry.name}]" if settings.multi_cluster else "the cluster section"


def _api_fix(entry: ClusterEntry, settings: Settings) -> str:
    if not settings.multi_cluster:
        return (
            "run in the cluster with the cloudops ServiceAccount, or set KUBECONFIG (or "
            "cluster.kubeconfig / cluster.context in the CLOUDOPS_CONFIG file); "
            "prove it: kubectl version"
        )
    where = _where(entry, settings)
    if entry.api_server is not None:
        return (
            f"{where}: {entry.api_server} must be reachable from here and {entry.token_env} "
            f"hold a valid bearer token; prove it: kubectl --server {entry.api_server} "
            f'--token "${entry.token_env}" version'
        )
    context = f" --context {entry.kubeconfig_context}" if entry.kubeconfig_context else ""
    return (
        f"check {where}.kubeconfig / kubeconfig_context (or in_cluster: true); "
        f"prove it: kubectl{context} version"
    )


async def _version(access: ClusterAccess) -> Check:
    version = await server_version(access)
    return Check.ok(API, f"API server {version} at {access.api_client.configuration.host}")


async def _rights(access: ClusterAccess, entry: ClusterEntry, settings: Settings) -> Check:
    rights = await review_rights(access, settings, entry.name if settings.multi_cluster else None)
    missing = rights.missing()
    if missing:
        fixes = [c.fix for c in rights.checks() if c.status == "fail"]
        return Check.fail(RBAC, "missing: " + ", ".join(missing), "\n".join(fixes))
    fixing = f"; fix in {', '.join(rights.fixing)}" if rights.fixing else ""
    return Check.ok(RBAC, f"may read in {', '.join(rights.reading)}{fixing}")


async def _kubernetes(entry: ClusterEntry, settings: Settings, timeout: float) -> list[Check]:
    if not settings.cluster.enabled:
        return [Check.ok(API, "disabled (cluster.enabled: false)")]
    fix = _api_fix(entry, settings)
    try:
        access = access_for(entry, timeout)
    except Exception as exc:
        return [
            Check.fail(API, f"no way to reach the API server: {_error(exc)}", fix),
            Check.fail(RBAC, "not checked: no API server", fix),
        ]
    try:
        api = await _within(API, _version(access), timeout, fix)
        if api.status != "ok":
            return [api, Check.fail(RBAC, "not checked: the API server does not answer", fix)]
        rbac_fix = "check the API server answers SelfSubjectAccessReview (kubectl auth can-i)"
        rbac = await _within(RBAC, _rights(access, entry, settings), 2 * timeout, rbac_fix)
        return [api, rbac]
    finally:
        if not isinstance(entry.api_client, client.ApiClient):  # built here: ours to close
            access.api_client.close()  # type: ignore[no-untyped-call]


async def _prometheus(entry: ClusterEntry, settings: Settings, timeout: float) -> Check:
    if settings.multi_cluster:
        where = _where(entry, settings)
        fixes = {
            "auth_fix": f"export the variables {where}.prometheus names (token_env, or "
            "username_env and password_env)",
            "url_fix": f"set {where}.prometheus.url to the Prometheus base URL reachable "
            "from here (curl <url>/-/ready)",
        }
    else:
        fixes = {}
    try:
        source = prometheus_source(entry, settings, timeout=timeout)
    except Exception as exc:  # e.g. a URL the client refuses
        return Check.fail(PROMETHEUS, _error(exc), fixes.get("url_fix", "set PROMETHEUS_URL"))
    try:
        work = ping_check(source, shown_url(source.url), name=PROMETHEUS, **fixes)
        return await _within(PROMETHEUS, work, timeout, fixes.get("url_fix", "set PROMETHEUS_URL"))
    finally:
        source.close()


async def _cluster(entry: ClusterEntry, settings: Settings, timeout: float) -> list[ClusterCheck]:
    kubernetes, prometheus = await asyncio.gather(
        _kubernetes(entry, settings, timeout), _prometheus(entry, settings, timeout)
    )
    return [ClusterCheck(entry.name, check) for check in [*kubernetes, prometheus]]


async def check_clusters(settings: Settings, *, timeout: float) -> list[ClusterCheck]:
    """Every configured cluster at once; rows in the order of ``clusters:``."""
    entries = settings.cluster_entries()
    results = await asyncio.gather(*(_cluster(e, settings, timeout) for e in entries))
    return [row for rows in results for row in rows]


def entry_secrets(settings: Settings, environ: dict[str, str] | None = None) -> list[str]:
    """The values of the environment variables the cluster entries name for credentials
    (to register with ``config.scrub`` besides ``settings.secret_values()``)."""
    env = dict(os.environ) if environ is None else environ
    names: list[str | None] = []
    for entry in settings.clusters:
        names.append(entry.token_env)
        if entry.prometheus is not None:
            names += [entry.prometheus.token_env, entry.prometheus.password_env]
    return [env[name] for name in names if name and env.get(name)]


def exit_code(rows: Sequence[ClusterCheck]) -> int:
    """1 when any check of any cluster failed, else 0."""
    return any_failed(row.check for row in rows)


def to_json(rows: Sequence[ClusterCheck]) -> dict[str, Any]:
    """``{"checks": [{cluster, check, status, detail, fix}, ...]}``."""
    return {
        "checks": [
            {
                "cluster": row.cluster,
                "check": row.check.name,
                "status": row.check.status,
                "detail": scrub(row.check.detail),
                "fix": scrub(row.check.fix),
            }
            for row in rows
        ]
    }


def render_table(rows: Sequence[ClusterCheck]) -> str:
    """One line per cluster and check, then the fix of every failure and a summary."""
    header = ("CLUSTER", "CHECK", "STATUS", "DETAIL")
    lines = [(r.cluster, r.check.name, r.check.status, scrub(r.check.detail)) for r in rows]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(3)]

    def row(cells: tuple[str, str, str, str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells[:3], widths, strict=True)) + (
            "  " + cells[3]
        )

    out = [row(header), *(row(line) for line in lines)]
    failed = [r for r in rows if r.check.status == "fail" and r.check.fix]
    if failed:
        out.append("")
    for r in failed:
        fix = scrub(r.check.fix).splitlines()
        out.append(f"fix {r.cluster} {r.check.name}: {fix[0]}")
        out += [f"  {line}" for line in fix[1:]]
    names = list(dict.fromkeys(r.cluster for r in rows))
    failing = [n for n in names if any(r.cluster == n and r.check.status == "fail" for r in rows)]
    summary = f"{len(names)} cluster(s): {len(names) - len(failing)} ok"
    out += ["", summary + (f", failing: {', '.join(failing)}" if failing else "")]
    return "\n".join(out)
