"""Analyzers per kind, in the k8sgpt manner: one module per kind, each with ``KIND``,
``PROBLEMS`` and ``check(view) -> list[Finding]`` over one read of the namespace.

Workload kinds (Deployment, StatefulSet, DaemonSet) also get every rule of
``cluster.rules`` on their pod template; ``cluster.survey`` runs both.
"""

from __future__ import annotations

from collections.abc import Callable

from cluster.analyzers import (
    crd,
    cronjob,
    daemonset,
    gateway,
    gatewayclass,
    hpa,
    httproute,
    ingress,
    job,
    netpol,
    node,
    pdb,
    pod,
    pvc,
    resourceclaim,
    service,
    statefulset,
)
from cluster.finding import Finding
from cluster.view import NamespaceView

__all__ = ["Analyzer", "ANALYZERS", "KINDS", "PROBLEMS"]

Analyzer = Callable[[NamespaceView], list[Finding]]

_MODULES = (
    pod,
    service,
    ingress,
    pvc,
    statefulset,
    daemonset,
    job,
    cronjob,
    node,
    hpa,
    pdb,
    netpol,
    gatewayclass,
    gateway,
    httproute,
    crd,
    resourceclaim,
)
ANALYZERS: dict[str, Analyzer] = {m.__name__.rsplit(".", 1)[-1]: m.check for m in _MODULES}
KINDS: dict[str, str] = {m.__name__.rsplit(".", 1)[-1]: m.KIND for m in _MODULES}
PROBLEMS: dict[str, tuple[str, ...]] = {m.__name__.rsplit(".", 1)[-1]: m.PROBLEMS for m in _MODULES}
