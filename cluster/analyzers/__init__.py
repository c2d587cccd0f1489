"""Analyzers per kind, in the k8sgpt manner: one module per kind, each with ``KIND``,
``PROBLEMS`` and ``check(view) -> list[Finding]`` over one read of the namespace.

Workload kinds (Deployment, StatefulSet, DaemonSet) also get every rule of
``cluster.rules`` on their pod template; ``cluster.survey`` runs both. The log analyzer
judges the log tails the survey reads into ``view.pod_logs`` (empty: no finding); the
custom resource analyzer the instances it reads into ``view.custom_instances``.
"""

from __future__ import annotations

from collections.abc import Callable

from cluster.analyzers import (
    catalogsource,
    clustercatalog,
    clusterextension,
    clusterserviceversion,
    configmap,
    crd,
    cronjob,
    customresource,
    daemonset,
    events,
    gateway,
    gatewayclass,
    hpa,
    httproute,
    ingress,
    installplan,
    job,
    log,
    netpol,
    node,
    operatorgroup,
    pdb,
    pod,
    podmonitoring,
    pvc,
    resourceclaim,
    security,
    service,
    statefulset,
    subscription,
    webhook,
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
    webhook,
    security,
    configmap,
    events,
    catalogsource,
    clusterserviceversion,
    installplan,
    subscription,
    operatorgroup,
    clustercatalog,
    clusterextension,
    podmonitoring,
    log,
    gatewayclass,
    gateway,
    httproute,
    crd,
    resourceclaim,
    customresource,
)
ANALYZERS: dict[str, Analyzer] = {m.__name__.rsplit(".", 1)[-1]: m.check for m in _MODULES}
KINDS: dict[str, str] = {m.__name__.rsplit(".", 1)[-1]: m.KIND for m in _MODULES}
PROBLEMS: dict[str, tuple[str, ...]] = {m.__name__.rsplit(".", 1)[-1]: m.PROBLEMS for m in _MODULES}
