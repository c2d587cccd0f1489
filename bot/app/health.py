"""``/healthz``, ``/readyz`` and ``/metrics``: liveness, readiness (what accepting work
needs) and the dependencies skills use."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from bot.dependencies import DependencyChecks, split_key
from bot.services import Services
from bot.state.redis_connection import RedisConnection
from bot.worker import WorkerPool

__all__ = ["Degraded", "by_cluster", "health_router", "readiness", "redis_probe"]


class Degraded(RuntimeError):
    """Raised by a readiness probe whose dependency is down but has a fallback: the
    replica keeps serving (``/readyz`` stays 200) and the check says what is degraded."""


async def readiness(services: Services, pool: WorkerPool) -> dict[str, Any]:
    checks: dict[str, str] = {}
    try:
        await asyncio.to_thread(services.store.ping)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    checks["workers"] = "ok" if pool.running else "error: not running"
    for name, probe in services.readiness.items():
        try:
            await probe()
            checks[name] = "ok"
        except Degraded as exc:
            checks[name] = f"degraded: {exc}"
        except Exception as exc:
            checks[name] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" or v.startswith("degraded") for v in checks.values())
    return {"status": "ready" if ready else "not_ready", "checks": checks}


def redis_probe(redis: RedisConnection) -> Callable[[], Awaitable[None]]:
    async def probe() -> None:
        try:
            await redis.ping()
        except Exception as exc:
            raise Degraded(f"{type(exc).__name__}; claims and leases use the database") from exc

    return probe


def by_cluster(found: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """``{"prometheus@east": r}`` → ``{"east": {"prometheus": r}}`` (a single cluster's
    dependencies under ``default``); what belongs to no cluster (the LLM) is left out."""
    grouped: dict[str, dict[str, dict[str, Any]]] = {}
    for key, outcome in found.items():
        dependency, cluster = split_key(key)
        if cluster:
            grouped.setdefault(cluster, {})[dependency] = outcome
    return grouped


def health_router(
    services: Services, pool: WorkerPool, dependencies: DependencyChecks
) -> APIRouter:
    router = APIRouter()

    @router.get("/healthz")
    async def healthz(verbose: bool = False) -> dict[str, Any]:
        """Liveness; ``?verbose=1`` adds each dependency's last probe (never a secret), the
        same grouped per cluster (``clusters``) and the start-up checks of ``bot.doctor``."""
        if not verbose:
            return {"status": "ok"}
        body: dict[str, Any] = {"status": "ok"}
        found = await dependencies.check(fresh=True)
        body["dependencies"] = found
        body["clusters"] = by_cluster(found)
        if services.doctor is not None:
            body["doctor"] = services.doctor
        return body

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        body = await readiness(services, pool)
        return JSONResponse(body, status_code=200 if body["status"] == "ready" else 503)

    @router.get("/metrics")
    async def prometheus_metrics() -> Response:
        await dependencies.check()  # refreshes cloudops_dependency_up (cached briefly)
        return Response(services.metrics.render(), media_type="text/plain; version=0.0.4")

    return router
