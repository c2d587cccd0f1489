"""Cluster package timings against the loopback simulator (real kubernetes client).

    .venv/bin/python benchmarks/cluster_diagnose.py [--runs 20]

Measures: seeding the demo world, diagnosing each demo namespace, a single-deployment
diagnosis, the executor's dry run + apply + rollout watch, and plain API reads.
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
from cluster.simulator import KubeSimulator, demo_world


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
    asyncio.run(main(parser.parse_args().runs))
