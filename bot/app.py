"""The composition root: builds services, transports and HTTP routes into one FastAPI app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, Response

from bot.access.departments import LarkDepartments
from bot.access.guard import DIRECTORY
from bot.api import api_router
from bot.messenger import Messenger
from bot.metrics import Metrics
from bot.pacing import RedisPacer
from bot.registry import Registry
from bot.router import resume
from bot.services import Services
from bot.state import Store, open_store
from bot.state.redis_connection import RedisConnection, key_prefix
from bot.transport.dispatcher import build_dispatcher
from bot.transport.intake import Intake
from bot.transport.longconn import LongConnection
from bot.transport.webhook import webhook_router
from bot.worker import WorkerPool
from config.settings import Settings

__all__ = ["create_app", "BotRuntime", "Capability", "CapabilityParts"]

log = structlog.get_logger(__name__)

# A capability plugs into the runtime: it may fill Services fields, return REST routes
# (mounted under /api/v1), other routes (mounted at the root) and background tasks.
Capability = Callable[[Services], "CapabilityParts"]


@dataclass
class CapabilityParts:
    api: APIRouter | None = None
    routes: APIRouter | None = None
    start: Callable[[], Any] | None = None
    stop: Callable[[], Any] | None = None


@dataclass
class BotRuntime:
    services: Services
    pool: WorkerPool
    intake: Intake
    dispatcher: Any
    longconn: LongConnection | None = None


class Degraded(RuntimeError):
    """Raised by a readiness probe whose dependency is down but has a fallback: the
    replica keeps serving (``/readyz`` stays 200) and the check says what is degraded."""


async def _readiness(services: Services, pool: WorkerPool) -> dict[str, Any]:
    checks: dict[str, str] = {}
    try:
        await asyncio.to_thread(services.store.ping)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    checks["workers"] = "ok" if pool.running else "error: not running"
    for name, probe in services.extras.get("readiness", {}).items():
        try:
            await probe()
            checks[name] = "ok"
        except Degraded as exc:
            checks[name] = f"degraded: {exc}"
        except Exception as exc:
            checks[name] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" or v.startswith("degraded") for v in checks.values())
    return {"status": "ready" if ready else "not_ready", "checks": checks}


def create_app(
    settings: Settings,
    *,
    registry: Registry | None = None,
    capabilities: Sequence[Capability] = (),
    store: Store | None = None,
    metrics: Metrics | None = None,
) -> FastAPI:
    if registry is None:
        from skills import default_registry

        registry = default_registry()
    metrics = metrics or Metrics()
    store = store or open_store(
        settings.db_url,
        redis_url=settings.secret("redis_url") or None,
        redis_prefix=key_prefix(settings.extra),
        dedupe_ttl=timedelta(hours=settings.feishu.dedupe_hours),
    )
    messenger = Messenger.create(
        settings.feishu_app_id or "",
        settings.secret("feishu_app_secret"),
        settings.domain,
        metrics,
        chat_qps=settings.runtime.chat_qps,
    )
    services = Services(settings, store, messenger, metrics, registry)
    services.extras[DIRECTORY] = LarkDepartments(messenger.client)  # department grants
    services.extras["readiness"] = {}
    if store.redis is not None:  # scale-out: replicas share claims, leases and pacing
        messenger.pacer = RedisPacer(store.redis, settings.runtime.chat_qps)
        services.extras["readiness"]["redis"] = _redis_probe(store.redis)
    pool = WorkerPool(settings.runtime.workers, settings.runtime.queue_size)
    intake = Intake(services, pool)
    encrypt_key = settings.secret("feishu_encrypt_key")
    dispatcher = build_dispatcher(intake, encrypt_key, settings.secret("feishu_verification_token"))
    runtime = BotRuntime(services, pool, intake, dispatcher)
    parts = [capability(services) for capability in capabilities]

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool.start()
        if settings.feishu_app_id:
            try:
                services.bot_open_id = await asyncio.wait_for(messenger.bot_open_id(), 5)
            except Exception as exc:
                log.warning("bot_info_unavailable", error=type(exc).__name__)
        if settings.transport == "longconn":
            runtime.longconn = LongConnection(
                settings.feishu_app_id or "",
                settings.secret("feishu_app_secret"),
                settings.domain,
                dispatcher,
                silence_limit=settings.feishu.watchdog_seconds,
            )
            runtime.longconn.start()
        for part in parts:
            if part.start:
                await _maybe_await(part.start())
        purge = asyncio.create_task(_purge_dedupe(store, settings.feishu.dedupe_hours))
        resuming = asyncio.create_task(_resume_interrupted(services))
        try:
            yield
        finally:
            purge.cancel()
            resuming.cancel()
            for part in parts:
                if part.stop:
                    await _maybe_await(part.stop())
            if runtime.longconn:
                runtime.longconn.stop()
            await pool.stop()
            if store.redis is not None:
                await store.redis.disconnect()

    app = FastAPI(title="CloudOps Bot", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    app.include_router(
        webhook_router(
            dispatcher,
            metrics,
            encrypt_key=encrypt_key,
            replay_window=settings.feishu.replay_window_seconds,
        )
    )
    api = api_router(
        settings.secret("cloudops_api_token") or None, lambda: _readiness(services, pool)
    )
    for part in parts:
        if part.api:
            api.include_router(part.api)
        if part.routes:
            app.include_router(part.routes)
    app.include_router(api)

    @app.get("/healthz")
    async def healthz(verbose: int = 0) -> dict[str, Any]:
        body: dict[str, Any] = {"status": "ok"}
        if verbose and "doctor" in services.extras:  # the start-up checks (bot.doctor)
            body["doctor"] = services.extras["doctor"]
        return body

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        body = await _readiness(services, pool)
        return JSONResponse(body, status_code=200 if body["status"] == "ready" else 503)

    @app.get("/metrics")
    async def prometheus_metrics() -> Response:
        return Response(metrics.render(), media_type="text/plain; version=0.0.4")

    return app


def _redis_probe(redis: RedisConnection) -> Callable[[], Awaitable[None]]:
    async def probe() -> None:
        try:
            await redis.ping()
        except Exception as exc:
            raise Degraded(f"{type(exc).__name__}; claims and leases use the database") from exc

    return probe


async def _maybe_await(value: Any) -> None:
    if asyncio.iscoroutine(value):
        await value


async def _resume_interrupted(services: Services) -> None:
    """Every replica, now and then: answer what a dead replica left half-answered."""
    while True:
        try:
            await resume(services)
        except Exception:
            log.exception("resume_failed")
        await asyncio.sleep(services.settings.runtime.resume_scan_seconds)


async def _purge_dedupe(store: Store, hours: int) -> None:
    while True:
        try:
            await store.dedupe.purge(timedelta(hours=hours))
        except Exception:
            log.exception("dedupe_purge_failed")
        await asyncio.sleep(3600)
