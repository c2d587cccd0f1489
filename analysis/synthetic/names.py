"""Service names and Kubernetes-like pod names for synthetic incidents."""

from __future__ import annotations

import numpy as np

__all__ = ["pod_name", "replica_set_hash", "service_names"]

_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # what Kubernetes uses for generated names
_WORDS = (
    "accounts", "ads", "audit", "auth", "billing", "cart", "catalog", "checkout", "config",
    "coupons", "currency", "email", "fraud", "frontend", "gateway", "geo", "inventory",
    "invoice", "ledger", "loyalty", "media", "notify", "orders", "payments", "pricing",
    "profile", "quotes", "rates", "recommend", "reports", "reviews", "routes", "search",
    "seats", "session", "shipping", "stations", "tax", "tickets", "trains", "users",
    "wishlist",
)  # fmt: skip
_SUFFIXES = ("", "", "", "-api", "-svc", "-service", "-worker", "-db")


def _token(length: int, rng: np.random.Generator) -> str:
    return "".join(_ALPHABET[i] for i in rng.integers(0, len(_ALPHABET), length))


def service_names(count: int, rng: np.random.Generator) -> tuple[str, ...]:
    """``count`` distinct names such as ``cart``, ``orders-api``, ``ledger-worker``."""
    names: dict[str, None] = {}
    while len(names) < count:
        word = _WORDS[int(rng.integers(len(_WORDS)))]
        names.setdefault(word + _SUFFIXES[int(rng.integers(len(_SUFFIXES)))], None)
    return tuple(names)


def replica_set_hash(rng: np.random.Generator) -> str:
    """The 10-character pod-template hash of a ReplicaSet."""
    return _token(10, rng)


def pod_name(service: str, template: str, rng: np.random.Generator) -> str:
    """``<service>-<replica set hash>-<5 character id>``."""
    return f"{service}-{template}-{_token(5, rng)}"
