"""``python -m sandbox [--port 8080] [--host 127.0.0.1]``."""

from __future__ import annotations

import argparse

from sandbox.run import run_sandbox

parser = argparse.ArgumentParser(prog="python -m sandbox", description="CloudOps sandbox")
parser.add_argument("--port", type=int, default=8080)
parser.add_argument("--host", default="127.0.0.1")
options = parser.parse_args()
run_sandbox(options.port, options.host)
