"""A namespace of broken operators (OLM v0 and v1) and monitoring, next to the broken
``shop`` of ``sandbox.cluster.broken``: statuses as OLM and the GMP operator write them,
and a worker whose running, never-ready container logs errors."""

from __future__ import annotations

from typing import Any

from sandbox.cluster.manifests import container, deployment, http_probe
from sandbox.cluster.world import ImageBehaviour, Obj, World

__all__ = ["OPERATOR_IMAGES", "seed_operator_namespace"]

OPERATOR_IMAGES: dict[str, ImageBehaviour] = {
    # Runs, never becomes ready, and says why in its log.
    "ops/worker:1": ImageBehaviour(
        ports=frozenset(),
        start_seconds=100_000,
        log=(
            "starting worker",
            "ERROR cannot reach broker kafka:9092 (sasl password=hunter2): i/o timeout",
            "retrying in 5s",
        ),
    ),
}

OLM = "operators.coreos.com/v1alpha1"
OLM_V1 = "olm.operatorframework.io/v1"


def _obj(kind: str, api: str, name: str, namespace: str | None, **body: Any) -> Obj:
    meta: dict[str, Any] = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    return {"kind": kind, "apiVersion": api, "metadata": meta, **body}


def _condition(kind: str, status: str, reason: str, message: str = "") -> dict[str, str]:
    return {"type": kind, "status": status, "reason": reason, "message": message}


def seed_operator_namespace(world: World, ns: str = "operators") -> None:
    world.images.update(OPERATOR_IMAGES)
    web = container("app", "shop/web:1", port=8080, readiness=http_probe("/ready", 8080))
    objects: list[Obj] = [
        # Two OperatorGroups: OLM refuses every install here.
        _obj("OperatorGroup", "operators.coreos.com/v1", "og-a", ns, spec={}),
        _obj("OperatorGroup", "operators.coreos.com/v1", "og-b", ns, spec={}),
        _obj(
            "CatalogSource", OLM, "community", ns,
            spec={"sourceType": "grpc", "image": "quay.io/community/catalog:latest"},
            status={"connectionState": {"address": "community.operators.svc:50051",
                                        "lastObservedState": "TRANSIENT_FAILURE"}},
        ),
        _obj(
            "CatalogSource", OLM, "certified", ns,
            spec={"sourceType": "grpc", "image": "quay.io/certified/catalog:v1"},
            status={"connectionState": {"address": "certified.operators.svc:50051",
                                        "lastObservedState": "READY"}},
        ),
        _obj(
            "Subscription", OLM, "etcd", ns,
            spec={"name": "etcd", "source": "community", "channel": "stable"},
            status={"state": "", "conditions": [
                _condition("CatalogSourcesUnhealthy", "True", "UnhealthyCatalogSourceFound",
                           "targeted catalogsource operators/community unhealthy"),
                _condition("ResolutionFailed", "True", "ConstraintsNotSatisfiable",
                           "no operators found in channel stable of package etcd"),
            ]},
        ),
        _obj(
            "ClusterServiceVersion", OLM, "etcdoperator.v0.9.4", ns,
            spec={"displayName": "etcd"},
            status={"phase": "Failed", "reason": "TooManyOperatorGroups",
                    "message": "csv created in namespace with multiple operatorgroups, "
                               "can't pick one automatically",
                    "lastTransitionTime": world.at(-600)},
        ),
        _obj(
            "ClusterServiceVersion", OLM, "strimzi-cluster-operator.v0.40.0", ns,
            spec={"displayName": "Strimzi"},
            status={"phase": "Installing", "reason": "InstallWaiting",
                    "message": "installing: waiting for deployment strimzi-cluster-operator "
                               "to become ready",
                    "lastTransitionTime": world.at(-1800)},
        ),
        _obj(
            "ClusterServiceVersion", OLM, "prometheusoperator.0.47.0", ns,
            spec={"displayName": "Prometheus Operator"},
            status={"phase": "Succeeded", "reason": "InstallSucceeded",
                    "lastTransitionTime": world.at(-7200)},
        ),
        _obj(
            "InstallPlan", OLM, "install-7k2lq", ns,
            spec={"approval": "Automatic", "approved": True,
                  "clusterServiceVersionNames": ["strimzi-cluster-operator.v0.41.0"]},
            status={"phase": "Failed", "conditions": [
                _condition("Installed", "False", "InstallComponentFailed",
                           'error creating csv strimzi-cluster-operator.v0.41.0: '
                           'admission webhook "csv.example.com" denied the request'),
            ]},
        ),
        # OLM v1: an extension into this namespace from a catalog that does not serve.
        _obj(
            "ClusterCatalog", OLM_V1, "operatorhubio", None,
            spec={"source": {"type": "Image",
                             "image": {"ref": "quay.io/operatorhubio/catalog:latest"}}},
            status={"conditions": [
                _condition("Serving", "False", "Unavailable", "Catalog is not being served"),
                _condition("Progressing", "True", "Retrying",
                           "source catalog content: GET https://quay.io/v2/: 401 Unauthorized"),
            ]},
        ),
        _obj(
            "ClusterExtension", OLM_V1, "argocd", None,
            spec={"namespace": ns, "serviceAccount": {"name": "argocd-installer"},
                  "source": {"sourceType": "Catalog",
                             "catalog": {"packageName": "argocd-operator"}}},
            status={"conditions": [
                _condition("Installed", "False", "Failed", ""),
                _condition("Progressing", "True", "Retrying",
                           'no bundles found for package "argocd-operator"'),
            ]},
        ),
        # Google Managed Prometheus: a selector typo, and a configuration the operator refused.
        deployment(ns, "exporter", [web]),
        # three replicas: the workload rules read two pods' logs, the log analyzer the third
        deployment(ns, "worker", [container("worker", "ops/worker:1", port=None)], replicas=3),
        _obj(
            "PodMonitoring", "monitoring.googleapis.com/v1", "exporter", ns,
            spec={"selector": {"matchLabels": {"app": "exportr"}},
                  "endpoints": [{"port": 8080, "interval": "30s"}]},
            status={"conditions": [_condition("ConfigurationCreateSuccess", "True", "")]},
        ),
        _obj(
            "PodMonitoring", "monitoring.googleapis.com/v1", "worker", ns,
            spec={"selector": {"matchLabels": {"app": "worker"}},
                  "endpoints": [{"port": "metrics", "interval": "5"}]},
            status={"conditions": [
                _condition("ConfigurationCreateSuccess", "False", "ScrapeConfigInvalid",
                           'invalid endpoint interval "5": missing unit'),
            ]},
        ),
    ]  # fmt: skip
    for obj in objects:
        world.add(obj)
