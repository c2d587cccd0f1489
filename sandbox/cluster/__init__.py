"""A stateful Kubernetes API server on loopback that the real ``kubernetes`` client uses.

with KubeSimulator(demo_world()) as sim:
    api = sim.api_client()           # or sim.kubeconfig_path()
    sim.tick(30)                     # or KubeSimulator(world, auto_tick=0.05)
"""

from sandbox.cluster.faults import Fault, RecordedRequest
from sandbox.cluster.seed import DEMO_IMAGES, demo_world, legacy_nginx
from sandbox.cluster.server import KubeSimulator, step
from sandbox.cluster.world import ImageBehaviour, World

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
