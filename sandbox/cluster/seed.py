"""``demo_world()``: the sandbox cluster, with one workload per common problem."""

from __future__ import annotations

from sandbox.cluster.manifests import (
    configmap,
    container,
    deployment,
    hpa,
    http_probe,
    node,
    quota,
    secret,
    service,
)
from sandbox.cluster.server import step
from sandbox.cluster.world import ImageBehaviour, World

__all__ = ["DEMO_IMAGES", "demo_world", "legacy_nginx"]

DEMO_IMAGES: dict[str, ImageBehaviour] = {
    "nginx:1.25": ImageBehaviour(
        serves=frozenset({"/", "/index.html"}),
        memory_mi=12,
        cpu_m=2,
        start_seconds=1,
        log=(
            "/docker-entrypoint.sh: Configuration complete; ready for start up",
            '10.244.0.1 - - "GET /health HTTP/1.1" 404 153 "-" "kube-probe/1.31"',
        ),
    ),
    "ghcr.io/acme/payments:2.3.1": ImageBehaviour(
        serves=frozenset({"/", "/healthz", "/ready"}),
        ports=frozenset({8080}),
        memory_mi=180,
        cpu_m=120,
        log=("payments listening on :8080", "ledger client ready"),
    ),
    "ghcr.io/acme/ledger:1.8.0": ImageBehaviour(
        serves=frozenset({"/healthz"}),
        ports=frozenset({8080}),
        memory_mi=240,
        cpu_m=150,
        log=(
            "connecting to postgres://ledger:s3cr3t-pw@ledger-db:5432/ledger",
            "WARN slow commit took 2300ms (cpu throttled?)",
            "WARN slow commit took 2810ms (cpu throttled?)",
        ),
    ),
    "ghcr.io/acme/report-worker:0.9.2": ImageBehaviour(
        ports=frozenset(),
        memory_mi=200,
        cpu_m=150,
        log=("loading 1200000 rows into memory", "building monthly report"),
    ),
    "ghcr.io/acme/checkout:1.4.2": ImageBehaviour(
        serves=frozenset({"/", "/healthz"}), ports=frozenset({8080}), memory_mi=90, cpu_m=40
    ),
}


def legacy_nginx(replicas: int = 2) -> dict[str, object]:
    """The legacy seed's nginx: readiness on a missing /health every 1 s, threshold 1."""
    probe = http_probe("/health", 80, period=1, failure=1)
    nginx = container(
        "nginx", "nginx:1.25", requests={"memory": "512Mi", "cpu": "500m"}, readiness=probe
    )
    return deployment("default", "nginx", [nginx], replicas=replicas)


def demo_world(settle_seconds: int = 180) -> World:
    world = World(images=dict(DEMO_IMAGES))
    for index in (1, 2):
        world.add(node(f"node-{index}", ip=f"10.0.0.{10 + index}"))
    payments = container(
        "payments",
        "ghcr.io/acme/payments:2.3.1",
        port=8080,
        requests={"cpu": "200m", "memory": "256Mi"},
        limits={"cpu": "500m", "memory": "512Mi"},
        readiness=http_probe("/ready", 8080),
        liveness=http_probe("/healthz", 8080, delay=5),
    )
    ledger_env = [
        {
            "name": "DB_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "ledger-db", "key": "password"}},
        }
    ]
    ledger = container(
        "ledger",
        "ghcr.io/acme/ledger:1.8.0",
        port=8080,
        requests={"cpu": "50m", "memory": "256Mi"},
        limits={"cpu": "50m", "memory": "512Mi"},
        readiness=http_probe("/healthz", 8080),
        liveness=http_probe("/healthz", 8080, delay=10),
        env=ledger_env,
    )
    worker = container(
        "worker",
        "ghcr.io/acme/report-worker:0.9.2",
        port=None,
        requests={"cpu": "100m", "memory": "64Mi"},
        limits={"cpu": "500m", "memory": "128Mi"},
    )
    checkout = container(
        "checkout",
        "ghcr.io/acme/checkout:1.4.2",
        port=8080,
        requests={"cpu": "100m", "memory": "128Mi"},
        limits={"cpu": "500m", "memory": "256Mi"},
        readiness=http_probe("/healthz", 8080),
    )
    objects = [
        quota("payments", "compute", {"requests.cpu": "4", "requests.memory": "8Gi", "pods": "20"}),
        secret("payments", "ledger-db", {"password": "s3cr3t-pw"}),
        configmap("payments", "payments-config", {"LEDGER_URL": "http://ledger:8080"}),
        deployment("payments", "payments", [payments], replicas=2),
        service("payments", "payments", {"app": "payments"}, 80, 8080),
        hpa("payments", "payments", minimum=2, maximum=6),
        deployment("payments", "ledger", [ledger]),
        service("payments", "ledger", {"app": "ledger"}, 8080, 8080),
        legacy_nginx(),
        service("default", "nginx", {"app": "nginx"}, 80, 80),
        deployment("default", "report-worker", [worker]),
        deployment("default", "checkout", [checkout], progress_deadline=120),
        service("default", "checkout", {"app": "checkout"}, 80, 8080),
    ]
    with world.lock:
        for obj in objects:
            world.add(obj)
        for _ in range(20):
            step(world)
        _release_bad_checkout(world)
        for _ in range(max(0, settle_seconds - 20)):
            step(world)
    return world


def _release_bad_checkout(world: World) -> None:
    """Roll checkout to a tag the registry does not have: its new pod cannot pull."""
    current = world.get("deployments", "default", "checkout")
    assert current is not None

    def release(d: dict[str, object]) -> None:
        spec = d["spec"]
        assert isinstance(spec, dict)
        spec["template"]["spec"]["containers"][0]["image"] = "ghcr.io/acme/checkout:1.5.0"
        meta = d["metadata"]
        assert isinstance(meta, dict)
        meta["generation"] = int(meta.get("generation", 1)) + 1

    world.update(current, release)
