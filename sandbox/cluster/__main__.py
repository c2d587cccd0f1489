"""Run the sandbox cluster: ``python -m sandbox.cluster [--port 8001] [--speed 1]``.

Prints the API URL and a kubeconfig path; time advances by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import threading

from sandbox.cluster.seed import demo_world
from sandbox.cluster.server import KubeSimulator


def main() -> None:
    parser = argparse.ArgumentParser(description="CloudOps Bot sandbox Kubernetes API")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--speed", type=float, default=1.0, help="simulated seconds per second")
    args = parser.parse_args()
    with KubeSimulator(demo_world(), auto_tick=1.0, tick_seconds=args.speed, port=args.port) as sim:
        print(f"API: {sim.url}\nKUBECONFIG={sim.kubeconfig_path()}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
