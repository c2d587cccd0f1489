"""Steady-state shapes of the demo services and Kubernetes-like pod names."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["PROFILES", "Profile", "pod_names"]

_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # what Kubernetes uses for generated names


@dataclass(frozen=True)
class Profile:
    pods: int
    rps: float  # per pod
    cpu: float  # cores per pod
    cpu_limit: float
    memory_mib: float
    latency: float  # median seconds
    error_ratio: float


PROFILES = {
    "payments": Profile(3, 40.0, 0.35, 1.0, 310.0, 0.045, 0.002),
    "ledger": Profile(2, 60.0, 0.25, 0.5, 220.0, 0.012, 0.001),
    "fraud": Profile(2, 60.0, 0.30, 1.0, 540.0, 0.020, 0.001),
    "accounts": Profile(2, 25.0, 0.15, 0.5, 180.0, 0.008, 0.0005),
}


def _token(length: int, rng: np.random.Generator) -> str:
    return "".join(_ALPHABET[i] for i in rng.integers(0, len(_ALPHABET), length))


def pod_names(prefix: str, count: int, rng: np.random.Generator) -> tuple[str, ...]:
    """``<prefix>-<replicaset hash>-<suffix>`` names of one Deployment's pods."""
    template = _token(10, rng)
    return tuple(f"{prefix}-{template}-{_token(5, rng)}" for _ in range(count))
