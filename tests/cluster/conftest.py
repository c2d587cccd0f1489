"""Fixtures for cluster tests: small simulated worlds served to the real kubernetes client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cluster.access import ClusterAccess
from sandbox.cluster import DEMO_IMAGES, KubeSimulator, World, legacy_nginx, step
from sandbox.cluster.manifests import node, service


def nginx_world(settle: int = 5) -> World:
    """One node and the legacy seed's nginx (readiness on a missing /health)."""
    world = World(images=dict(DEMO_IMAGES))
    world.add(node("node-1"))
    world.add(legacy_nginx())
    world.add(service("default", "nginx", {"app": "nginx"}, 80, 80))
    for _ in range(settle):
        step(world)
    return world


@pytest.fixture
def nginx_sim() -> Iterator[KubeSimulator]:
    """Manual time: tests call ``sim.tick()``."""
    with KubeSimulator(nginx_world()) as sim:
        yield sim


@pytest.fixture
def live_nginx_sim() -> Iterator[KubeSimulator]:
    """Time runs by itself (1 simulated second every 20 ms), for rollout watches."""
    with KubeSimulator(nginx_world(), auto_tick=0.02) as sim:
        yield sim


@pytest.fixture
def access_for() -> Iterator[object]:
    made: list[ClusterAccess] = []

    def make(sim: KubeSimulator, timeout: float = 5.0) -> ClusterAccess:
        access = ClusterAccess(sim.api_client(), request_timeout=timeout)
        made.append(access)
        return access

    yield make
    for access in made:
        access.api_client.close()
