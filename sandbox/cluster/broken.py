"""A namespace with one broken object of every family /diagnose knows, for end-to-end
tests, the sandbox and the benchmark (``broken_kinds_world``)."""

from __future__ import annotations

from typing import Any

from sandbox.cluster.broken_operators import seed_operator_namespace
from sandbox.cluster.manifests import container, deployment, http_probe, node, service
from sandbox.cluster.nodes import cordon, evict, set_condition
from sandbox.cluster.server import step
from sandbox.cluster.world import ImageBehaviour, Obj, World

__all__ = [
    "BROKEN_IMAGES",
    "broken_kinds_world",
    "seed_broken_namespace",
    "seed_cluster_extensions",
    "seed_extension_namespace",
]

BROKEN_IMAGES: dict[str, ImageBehaviour] = {
    "shop/web:1": ImageBehaviour(serves=frozenset({"/", "/ready"}), ports=frozenset({8080})),
    "shop/db:1": ImageBehaviour(
        ports=frozenset({5432}),
        exit_code=1,
        start_seconds=1,
        log=("FATAL: could not open data directory",),
    ),
    "shop/migrate:1": ImageBehaviour(
        ports=frozenset(),
        exit_code=1,
        start_seconds=1,
        log=("ERROR: relation users already exists",),
    ),
    "shop/init:1": ImageBehaviour(ports=frozenset(), exit_code=2, start_seconds=1),
}


def _web(namespace: str, name: str, replicas: int = 1, **spec: Any) -> Obj:
    app = container(
        "app",
        "shop/web:1",
        port=8080,
        readiness=http_probe("/ready", 8080),
        requests={"cpu": "50m", "memory": "64Mi"},
        limits={"memory": "128Mi"},
    )
    obj = deployment(namespace, name, [app], replicas=replicas)
    obj["spec"]["template"]["spec"].update(spec)
    return obj


def _kind(kind: str, api: str, namespace: str, name: str, **body: Any) -> Obj:
    return {
        "kind": kind,
        "apiVersion": api,
        "metadata": {"name": name, "namespace": namespace},
        **body,
    }


def seed_broken_namespace(world: World, namespace: str = "shop") -> None:
    ns = namespace
    labels = {"matchLabels": {"app": "orders"}}
    web_container = _web(ns, "x")["spec"]["template"]["spec"]["containers"][0]
    objects: list[Obj] = [
        # Service: a selector with a typo (app=order) next to a healthy Deployment orders.
        _web(ns, "orders", replicas=2),
        service(ns, "orders", {"app": "order"}, 80, 8080),
        # PodDisruptionBudget that allows no eviction: minAvailable = replicas.
        _kind(
            "PodDisruptionBudget",
            "policy/v1",
            ns,
            "orders",
            spec={"minAvailable": 2, "selector": labels},
        ),
        # NetworkPolicy: selects payments' pods and admits nothing.
        _web(ns, "payments"),
        service(ns, "payments", {"app": "payments"}, 80, 8080),
        _kind(
            "NetworkPolicy",
            "networking.k8s.io/v1",
            ns,
            "deny-payments",
            spec={
                "podSelector": {"matchLabels": {"app": "payments"}},
                "policyTypes": ["Ingress"],
                "ingress": [],
            },
        ),
        # Ingress whose backend Service does not exist.
        _kind(
            "Ingress",
            "networking.k8s.io/v1",
            ns,
            "storefront",
            spec={
                "ingressClassName": "nginx",
                "rules": [
                    {
                        "host": "shop.example.com",
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {
                                        "service": {"name": "catalog", "port": {"number": 80}}
                                    },
                                }
                            ]
                        },
                    }
                ],
            },
        ),
        # PersistentVolumeClaim on a StorageClass nobody created; a Deployment waits on it.
        _kind(
            "PersistentVolumeClaim",
            "v1",
            ns,
            "reports-data",
            spec={
                "storageClassName": "ssd",
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "5Gi"}},
            },
        ),
        _web(
            ns,
            "reports",
            volumes=[{"name": "data", "persistentVolumeClaim": {"claimName": "reports-data"}}],
        ),
        # StatefulSet whose first pod crashes: the others never start.
        _kind(
            "StatefulSet",
            "apps/v1",
            ns,
            "db",
            spec={
                "replicas": 3,
                "serviceName": "db",
                "selector": {"matchLabels": {"app": "db"}},
                "template": {
                    "metadata": {"labels": {"app": "db"}},
                    "spec": {"containers": [container("postgres", "shop/db:1", port=5432)]},
                },
            },
        ),
        # DaemonSet whose image does not exist.
        _kind(
            "DaemonSet",
            "apps/v1",
            ns,
            "agent",
            spec={
                "selector": {"matchLabels": {"app": "agent"}},
                "template": {
                    "metadata": {"labels": {"app": "agent"}},
                    "spec": {
                        # Security: host network and a privileged container.
                        "hostNetwork": True,
                        "containers": [
                            {
                                **container("agent", "shop/agent:doesnotexist", port=None),
                                "securityContext": {"privileged": True},
                            }
                        ],
                    },
                },
            },
        ),
        # Job that fails until its backoffLimit.
        _kind(
            "Job",
            "batch/v1",
            ns,
            "migrate",
            spec={
                "backoffLimit": 1,
                "template": {
                    "spec": {
                        "restartPolicy": "Never",
                        "serviceAccountName": "migrator",  # no such ServiceAccount
                        "containers": [container("migrate", "shop/migrate:1", port=None)],
                    }
                },
            },
        ),
        # CronJob with an impossible schedule.
        _kind(
            "CronJob",
            "batch/v1",
            ns,
            "report",
            spec={
                "schedule": "61 * * * *",
                "jobTemplate": {
                    "spec": {
                        "template": {
                            "spec": {
                                "restartPolicy": "OnFailure",
                                "containers": [container("r", "shop/web:1")],
                            }
                        }
                    }
                },
            },
        ),
        # HorizontalPodAutoscaler aimed at a Deployment that does not exist.
        _kind(
            "HorizontalPodAutoscaler",
            "autoscaling/v2",
            ns,
            "frontend",
            spec={
                "scaleTargetRef": {
                    "apiVersion": "apps/v1",
                    "kind": "Deployment",
                    "name": "frontend",
                },
                "minReplicas": 1,
                "maxReplicas": 4,
            },
        ),
        # Pods: an init container that fails, a ConfigMap volume that is missing, evictions.
        _web(ns, "web", initContainers=[container("migrate-schema", "shop/init:1", port=None)]),
        _web(ns, "api", volumes=[{"name": "config", "configMap": {"name": "api-config"}}]),
        _web(ns, "cache"),
        # LimitRange refusing the search pods (limit 1Gi over a 512Mi maximum).
        _kind(
            "LimitRange",
            "v1",
            ns,
            "limits",
            spec={"limits": [{"type": "Container", "max": {"memory": "512Mi"}}]},
        ),
        _kind(
            "Deployment",
            "apps/v1",
            ns,
            "search",
            spec={
                **deployment(
                    ns, "search", [{**web_container, "resources": {"limits": {"memory": "1Gi"}}}]
                )["spec"]
            },
        ),
        # The default ServiceAccount, handing its token to every workload that uses it.
        _kind("ServiceAccount", "v1", ns, "default"),
        # A ConfigMap without keys that nothing uses.
        _kind("ConfigMap", "v1", ns, "legacy-flags", data={}),
        # Events: checkout's LoadBalancer cannot be provisioned; only events tell (below).
        _web(ns, "checkout"),
        {
            **service(ns, "checkout", {"app": "checkout"}, 80, 8080),
            "spec": {
                **service(ns, "checkout", {"app": "checkout"}, 80, 8080)["spec"],
                "type": "LoadBalancer",
            },
        },
    ]
    for obj in objects:
        world.add(obj)
    # A validating webhook (failurePolicy Fail) whose Service in the namespace is gone.
    world.add(
        {
            "kind": "ValidatingWebhookConfiguration",
            "apiVersion": "admissionregistration.k8s.io/v1",
            "metadata": {"name": f"{ns}-policy-guard"},
            "webhooks": [
                {
                    "name": "validate.policy-guard.example.com",
                    "clientConfig": {
                        "service": {"namespace": ns, "name": "policy-guard", "port": 443}
                    },
                    "failurePolicy": "Fail",
                    "sideEffects": "None",
                    "admissionReviewVersions": ["v1"],
                    "rules": [
                        {
                            "apiGroups": ["apps"],
                            "apiVersions": ["v1"],
                            "operations": ["CREATE", "UPDATE"],
                            "resources": ["deployments"],
                        }
                    ],
                }
            ],
        }
    )


def _load_balancer_failures(world: World, namespace: str) -> None:
    """Warning events on Service checkout that no finding explains (its pods are ready)."""
    checkout = world.get("services", namespace, "checkout")
    assert checkout is not None
    message = "Error syncing load balancer: failed to ensure load balancer: quota exceeded"
    for _ in range(3):
        world.event(checkout, "SyncLoadBalancerFailed", message, warning=True)


def seed_extension_namespace(world: World, namespace: str = "platform") -> None:
    """A second namespace, with the broken objects of the extension APIs (Gateway API,
    DRA, cert-manager Certificates): ``shop`` keeps to what one /diagnose card shows."""
    for obj in _extension_objects(namespace):
        world.add(obj)
    for obj in _certificates(world, namespace):
        world.add(obj)


def _certificates(world: World, ns: str) -> list[Obj]:
    """cert-manager Certificates as its controller would leave them: one ready, one whose
    Issuer does not exist, one deleted an hour ago whose finalizer nobody removes."""

    def certificate(name: str, ready: str, reason: str, message: str, **meta: Any) -> Obj:
        obj = _kind(
            "Certificate",
            "cert-manager.io/v1",
            ns,
            name,
            spec={"secretName": f"{name}-tls", "issuerRef": {"name": "letsencrypt"}},
            status={
                "conditions": [
                    {
                        "type": "Ready",
                        "status": ready,
                        "reason": reason,
                        "message": message,
                        "lastTransitionTime": world.at(world.clock - 7200),
                    }
                ]
            },
        )
        obj["metadata"].update(meta)
        return obj

    return [
        certificate("web", "True", "Ready", "Certificate is up to date and has not expired"),
        certificate(
            "api",
            "False",
            "DoesNotExist",
            'Issuer.cert-manager.io "letsencrypt-prod" not found',
        ),
        certificate(
            "legacy",
            "True",
            "Ready",
            "Certificate is up to date and has not expired",
            deletionTimestamp=world.at(world.clock - 3600),
            finalizers=["cert-manager.io/certificate-cleanup"],
        ),
    ]


def _extension_objects(ns: str) -> list[Obj]:
    gateway_api = "gateway.networking.k8s.io/v1"
    https = {
        "name": "https",
        "port": 443,
        "protocol": "HTTPS",
        "tls": {"mode": "Terminate", "certificateRefs": [{"kind": "Secret", "name": "edge-tls"}]},
    }
    claim = {"name": "gpu", "resourceClaimName": "gpu-train"}
    trainer = container("train", "shop/web:1", port=None)
    trainer["resources"] = {"claims": [{"name": "gpu"}]}
    return [
        # A Service without selector (endpoints kept by hand) for the route below.
        _kind("Service", "v1", ns, "orders", spec={"ports": [{"port": 80, "targetPort": 8080}]}),
        # Gateways of a class its controller refuses, and of a class that does not exist.
        _kind(
            "Gateway",
            gateway_api,
            ns,
            "internal",
            spec={
                "gatewayClassName": "internal",
                "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}],
            },
        ),
        _kind(
            "Gateway",
            gateway_api,
            ns,
            "legacy-lb",
            spec={
                "gatewayClassName": "nginx",
                "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}],
            },
        ),
        # Gateway whose HTTPS listener names a certificate Secret that does not exist.
        _kind(
            "Gateway",
            gateway_api,
            ns,
            "edge",
            spec={
                "gatewayClassName": "public",
                "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}, https],
            },
        ),
        # HTTPRoute on edge and on a Gateway that does not exist, to a port orders does not
        # expose and to a Service that does not exist.
        _kind(
            "HTTPRoute",
            gateway_api,
            ns,
            "shop-web",
            spec={
                "parentRefs": [{"name": "edge"}, {"name": "legacy"}],
                "hostnames": ["shop.example.com"],
                "rules": [
                    {"backendRefs": [{"name": "orders", "port": 8080}]},
                    {
                        "matches": [{"path": {"type": "PathPrefix", "value": "/catalog"}}],
                        "backendRefs": [{"name": "catalog", "port": 80}],
                    },
                ],
            },
        ),
        # ResourceClaim for a DeviceClass nobody installed; the Job train waits on it.
        _kind(
            "ResourceClaim",
            "resource.k8s.io/v1beta1",
            ns,
            "gpu-train",
            spec={
                "devices": {
                    "requests": [
                        {
                            "name": "gpu",
                            "deviceClassName": "gpu.nvidia.com",
                            "allocationMode": "ExactCount",
                            "count": 1,
                        }
                    ]
                }
            },
        ),
        _kind(
            "Job",
            "batch/v1",
            ns,
            "train",
            spec={
                "backoffLimit": 0,
                "template": {
                    "spec": {
                        "restartPolicy": "Never",
                        "resourceClaims": [claim],
                        "containers": [trainer],
                    }
                },
            },
        ),
    ]


def _definition(group: str, plural: str, kind: str, *versions: str, **names: Any) -> Obj:
    """A CustomResourceDefinition serving ``versions`` (the first one stored)."""
    schema = {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}
    return {
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {
            "group": group,
            "names": {
                "plural": plural,
                "singular": kind.lower(),
                "kind": kind,
                "listKind": f"{kind}List",
                **names,
            },
            "scope": "Namespaced",
            "versions": [
                {"name": v, "served": True, "storage": i == 0, "schema": schema}
                for i, v in enumerate(versions)
            ],
        },
    }


def seed_cluster_extensions(world: World) -> None:
    """Cluster-scoped objects of the extension APIs: healthy Gateway API CRDs and class,
    cert-manager's Certificate CRD (its instances judged generically),
    a GatewayClass its controller refuses, a DeviceClass, and a CRD whose new short name
    is taken and whose objects are still stored in a version it no longer serves."""
    gateway_group = "gateway.networking.k8s.io"
    for plural, kind in (
        ("gatewayclasses", "GatewayClass"),
        ("gateways", "Gateway"),
        ("httproutes", "HTTPRoute"),
    ):
        world.add(_definition(gateway_group, plural, kind, "v1", "v1beta1"))
    world.add(_definition("cert-manager.io", "certificates", "Certificate", "v1"))
    world.add(_definition("example.com", "gizmos", "Gizmo", "v1", shortNames=["wd"]))
    widgets = _definition("example.com", "widgets", "Widget", "v1", "v1alpha1", shortNames=["wd"])
    widgets["spec"]["versions"][1]["served"] = False  # retired, but objects remain stored in it
    widgets["status"] = {  # established long ago, before the short name was added
        "conditions": [
            {
                "type": "Established",
                "status": "True",
                "reason": "InitialNamesAccepted",
                "message": "the initial names have been accepted",
                "lastTransitionTime": world.now(),
            }
        ],
        "storedVersions": ["v1alpha1"],
    }
    world.add(widgets)
    controller = {"controllerName": "example.net/gateway-controller"}
    world.add({"kind": "GatewayClass", "metadata": {"name": "public"}, "spec": controller})
    parameters = {"group": "", "kind": "ConfigMap", "name": "internal-lb", "namespace": "infra"}
    world.add(
        {
            "kind": "GatewayClass",
            "metadata": {"name": "internal"},
            "spec": {**controller, "parametersRef": parameters},
        }
    )
    world.add(
        {
            "kind": "DeviceClass",
            "metadata": {"name": "gpu.example.com"},
            "spec": {"selectors": [{"cel": {"expression": 'device.driver == "gpu.example.com"'}}]},
        }
    )


def broken_kinds_world(namespace: str = "shop", settle_seconds: int = 30) -> World:
    """Four nodes (node-2 NotReady, node-3 under disk pressure, node-4 cordoned), the
    broken namespace, the broken "operators" namespace and ``platform`` (extension APIs:
    Gateway API, DRA; their classes and CRDs), settled; then one of cache's pods is
    evicted."""
    world = World(images=dict(BROKEN_IMAGES))
    for index in range(1, 5):
        world.add(node(f"node-{index}", cpu="16", memory="32Gi", ip=f"10.0.0.{10 + index}"))
    world.add(
        {
            "kind": "IngressClass",
            "metadata": {"name": "nginx"},
            "spec": {"controller": "k8s.io/ingress-nginx"},
        }
    )
    set_condition(
        world,
        "node-2",
        "Ready",
        "Unknown",
        "NodeStatusUnknown",
        "Kubelet stopped posting node status.",
    )
    set_condition(
        world,
        "node-3",
        "DiskPressure",
        "True",
        "KubeletHasDiskPressure",
        "kubelet has disk pressure",
    )
    cordon(world, "node-4")
    seed_cluster_extensions(world)
    seed_broken_namespace(world, namespace)
    seed_operator_namespace(world)  # OLM, GMP and a worker logging errors: "operators"
    seed_extension_namespace(world)
    for _ in range(settle_seconds):
        step(world)
    cache = next(
        p for p in world.items("pods", namespace) if p["metadata"]["name"].startswith("cache-")
    )
    evict(world, cache)
    for _ in range(5):  # its replacement starts; the evicted pod stays behind
        step(world)
    _load_balancer_failures(world, namespace)
    return world
