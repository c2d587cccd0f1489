"""Cluster package timings against the loopback simulator (real kubernetes client).

    .venv/bin/python benchmarks/cluster_diagnose.py [--runs 20] [--mixed 300]

Measures: seeding the demo world, diagnosing each demo namespace, a single-deployment
diagnosis, the executor's dry run + apply + rollout watch, and plain API reads; with
``--mixed N``, the every-kind survey (/diagnose -n) of one namespace holding N objects of
mixed kinds (ten per group: Deployment, Service, StatefulSet, Job, CronJob, Ingress,
PersistentVolumeClaim, HPA, PDB, NetworkPolicy) plus the broken namespace's objects.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from cluster.access import ClusterAccess
from cluster.diagnose import diagnose_deployment, diagnose_namespace
from cluster.executor import apply_plan
from cluster.plans import FixPlan, PatchProbe, Target
from cluster.survey import survey_namespace
from sandbox.cluster import KubeSimulator, World, demo_world, step
from sandbox.cluster.broken import BROKEN_IMAGES, seed_broken_namespace
from sandbox.cluster.manifests import container, deployment, node, service


def summary(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    return f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms (n={len(ms)})"


async def timed(factory, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await factory()
        samples.append(time.perf_counter() - start)
    return samples


def _obj(kind: str, api: str, name: str, **body: object) -> dict:
    return {"kind": kind, "apiVersion": api, "metadata": {"name": name, "namespace": "mixed"},
            **body}  # fmt: skip


def mixed_world(count: int) -> World:
    """``count`` healthy objects of ten kinds in namespace ``mixed``, plus one broken object
    per family (about 25 more), settled for 20 simulated seconds."""
    world = World(images=dict(BROKEN_IMAGES))
    for index in range(1, 5):
        world.add(node(f"node-{index}", cpu="64", memory="256Gi", ip=f"10.0.0.{10 + index}"))
    world.add({"kind": "StorageClass", "metadata": {"name": "standard"}, "provisioner": "x"})
    world.add({"kind": "IngressClass", "metadata": {"name": "nginx"}, "spec": {}})
    app = container("app", "shop/web:1", port=8080, requests={"cpu": "10m", "memory": "16Mi"})
    template = {"spec": {"containers": [app], "restartPolicy": "Never"}}
    for i in range(count // 10):
        name = f"web-{i}"
        labels = {"matchLabels": {"app": name}}
        for obj in (
            deployment("mixed", name, [app]),
            service("mixed", name, {"app": name}, 80, 8080),
            _obj("StatefulSet", "apps/v1", f"db-{i}", spec={
                "replicas": 1, "selector": {"matchLabels": {"app": f"db-{i}"}},
                "template": {"metadata": {"labels": {"app": f"db-{i}"}},
                             "spec": {"containers": [app]}}}),
            _obj("Job", "batch/v1", f"job-{i}", spec={"template": template}),
            _obj("CronJob", "batch/v1", f"cron-{i}", spec={
                "schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": template}}}),
            _obj("Ingress", "networking.k8s.io/v1", f"ing-{i}", spec={
                "ingressClassName": "nginx", "defaultBackend": {
                    "service": {"name": name, "port": {"number": 80}}}}),
            _obj("PersistentVolumeClaim", "v1", f"data-{i}", spec={
                "storageClassName": "standard", "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}}}),
            _obj("HorizontalPodAutoscaler", "autoscaling/v2", f"hpa-{i}", spec={
                "scaleTargetRef": {"kind": "Deployment", "name": name}, "maxReplicas": 3}),
            _obj("PodDisruptionBudget", "policy/v1", f"pdb-{i}",
                 spec={"maxUnavailable": 1, "selector": labels}),
            _obj("NetworkPolicy", "networking.k8s.io/v1", f"np-{i}", spec={
                "podSelector": labels, "ingress": [{"ports": [{"port": 8080}]}]}),
        ):  # fmt: skip
            world.add(obj)
    seed_broken_namespace(world, "mixed")
    for _ in range(20):
        step(world)
    return world


async def mixed(count: int, runs: int) -> None:
    start = time.perf_counter()
    world = mixed_world(count)
    seeded = (time.perf_counter() - start) * 1000
    with KubeSimulator(world) as sim:
        access = ClusterAccess(sim.api_client())
        first = await survey_namespace(access, "mixed")
        print(
            f"mixed namespace: {first.examined} objects examined, {len(world.items('pods'))} pods, "
            f"{len(first.objects)} with findings (seeded in {seeded:.0f} ms)"
        )
        samples = await timed(lambda: survey_namespace(access, "mixed"), runs)
        print(f"survey_namespace(mixed, every kind, real client): {summary(samples)}")


async def main(runs: int) -> None:
    start = time.perf_counter()
    world = demo_world()
    print(f"demo_world(settle 180 s simulated): {(time.perf_counter() - start) * 1000:.0f} ms")
    with KubeSimulator(world) as sim:
        access = ClusterAccess(sim.api_client())
        for namespace in ("default", "payments"):
            samples = await timed(lambda ns=namespace: diagnose_namespace(access, ns), runs)
            print(f"diagnose_namespace({namespace}): {summary(samples)}")
        samples = await timed(lambda: diagnose_deployment(access, "default", "nginx"), runs)
        print(f"diagnose_deployment(default/nginx): {summary(samples)}")
        samples = await timed(lambda: access.pods("default"), runs * 5)
        print(f"list pods (default, real client): {summary(samples)}")
    applies = []
    for _ in range(max(3, runs // 4)):
        with KubeSimulator(demo_world(settle_seconds=30), auto_tick=0.02) as sim:
            access = ClusterAccess(sim.api_client())
            live = await access.deployment("default", "nginx")
            plan = FixPlan(Target.of(live), (PatchProbe("nginx", "readiness", path="/"),))
            start = time.perf_counter()
            result = await apply_plan(plan, access, watch_timeout=30, poll_interval=0.05)
            applies.append(time.perf_counter() - start)
            assert result.outcome == "ready", result
    print(f"apply_plan(nginx readiness fix, 1 sim-s per 20 ms, until ready): {summary(applies)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--mixed", type=int, default=0, help="objects in the mixed namespace")
    arguments = parser.parse_args()
    if arguments.mixed:
        asyncio.run(mixed(arguments.mixed, arguments.runs))
    else:
        asyncio.run(main(arguments.runs))
