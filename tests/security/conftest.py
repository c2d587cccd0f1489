"""The security tests reuse the end-to-end fixtures: the fix bot on the cluster
simulator (tests/fix) and the loopback Alertmanager (tests/push)."""

from __future__ import annotations

from tests.fix.conftest import env, make_env, sim
from tests.push.conftest import alertmanager

__all__ = ["alertmanager", "env", "make_env", "sim"]
