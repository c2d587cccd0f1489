"""Which workload a pod belongs to, from Kubernetes' pod naming conventions."""

from __future__ import annotations

import re

__all__ = ["workload_of"]

# <deployment>-<replicaset hash: 5-10 chars>-<pod suffix: 5 chars>
_DEPLOYMENT_POD = re.compile(r"^(?P<name>.+)-[a-z0-9]{5,10}-[a-z0-9]{5}$")


def workload_of(entity: str) -> str:
    """``payments-7d9f8c6b5-x2k4q`` → ``payments``; other names are returned unchanged."""
    match = _DEPLOYMENT_POD.match(entity)
    return match.group("name") if match else entity
