"""A stateful Kubernetes API server on loopback that the real ``kubernetes`` client uses.

with KubeSimulator(demo_world()) as sim:
    api = sim.api_client()           # or sim.kubeconfig_path()
    sim.tick(30)                     # or KubeSimulator(world, auto_tick=0.05)
"""

from cluster.simulator.faults import Fault, RecordedRequest
from cluster.simulator.seed import DEMO_IMAGES, demo_world, legacy_nginx
from cluster.simulator.server import KubeSimulator, step
from cluster.simulator.world import ImageBehaviour, World

__all__ = [
    "KubeSimulator",
    "World",
    "ImageBehaviour",
    "Fault",
    "RecordedRequest",
    "demo_world",
    "legacy_nginx",
    "DEMO_IMAGES",
    "step",
]
