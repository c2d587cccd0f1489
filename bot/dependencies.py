"""Dependencies the skills use (Prometheus, the cluster, the LLM, Alertmanager): probed on
demand, never part of readiness.

A skill whose dependency is down answers with an error card naming it; the replica keeps
taking work. What is up shows in ``GET /healthz?verbose=1`` and in the gauge
``cloudops_dependency_up{cluster, dependency}``. Capabilities register a probe (an async callable
that raises when the dependency does not answer) in ``services.dependencies``.
Results are cached for ``ttl`` seconds so that metrics scrapes do not hammer the
dependencies; ``/healthz?verbose=1`` (an operator's question, never exposed by the Ingress)
probes afresh.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from bot.metrics import Metrics
from config.scrub import scrub
from config.settings import DEFAULT_CLUSTER

__all__ = ["DependencyChecks", "Probe", "dependency_key", "http_probe", "split_key"]

Probe = Callable[[], Awaitable[Any]]


PER_CLUSTER = frozenset({"prometheus", "kubernetes", "alertmanager"})


def dependency_key(dependency: str, cluster: str, settings: Any) -> str:
    """The probe's name: ``prometheus``, or ``prometheus@east`` when ``clusters:`` is set."""
    return f"{dependency}@{cluster}" if settings.multi_cluster else dependency


def split_key(key: str) -> tuple[str, str]:
    """``prometheus@east`` → (prometheus, east); a single cluster's is ``default``; what
    belongs to no cluster (the LLM, web search) has the cluster ``""``."""
    dependency, _, cluster = key.partition("@")
    if cluster:
        return dependency, cluster
    return dependency, DEFAULT_CLUSTER if dependency in PER_CLUSTER else ""


def http_probe(url: str, *, headers: Mapping[str, str] | None = None, timeout: float = 3) -> Probe:
    """A probe that GETs ``url`` and raises unless the answer is 2xx."""

    async def probe() -> None:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(url, headers=dict(headers or {}))
        if response.status_code >= 300:
            raise RuntimeError(f"HTTP {response.status_code}")

    return probe


class DependencyChecks:
    def __init__(
        self,
        probes: Mapping[str, Probe],
        metrics: Metrics,
        *,
        timeout: float = 3.0,
        ttl: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._probes = probes
        self._metrics = metrics
        self._timeout = timeout
        self._ttl = ttl
        self._clock = clock
        self._checked_at: float | None = None
        self._last: dict[str, dict[str, Any]] = {}
        self._lock = asyncio.Lock()

    async def _one(self, probe: Probe) -> dict[str, Any]:
        try:
            await asyncio.wait_for(probe(), self._timeout)
        except TimeoutError:
            return {"up": False, "detail": f"no answer within {self._timeout:g} s"}
        except Exception as exc:
            return {"up": False, "detail": scrub(f"{type(exc).__name__}: {exc}")[:300]}
        return {"up": True}

    async def check(self, *, fresh: bool = False) -> dict[str, dict[str, Any]]:
        """``{name: {"up": bool, "detail"?: str}}``, probed concurrently; a result younger
        than ``ttl`` is reused unless ``fresh`` is asked for."""
        async with self._lock:
            recent = self._checked_at is not None and self._clock() - self._checked_at < self._ttl
            if recent and not fresh and set(self._last) == set(self._probes):
                return self._last
            names = list(self._probes)
            results = await asyncio.gather(*(self._one(self._probes[n]) for n in names))
            self._last = dict(zip(names, results, strict=True))
            self._checked_at = self._clock()
            for name, result in self._last.items():
                dependency, cluster = split_key(name)
                gauge = self._metrics.dependency_up.labels(cluster=cluster, dependency=dependency)
                gauge.set(1 if result["up"] else 0)
            return self._last
