"""``create_app``: builds services, transports and HTTP routes into one FastAPI app, and
plugs in the capabilities it is given (``bot.app.capabilities``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from fastapi import FastAPI

from bot.access.departments import LarkDepartments
from bot.api import api_router, scrub_error_bodies
from bot.app.health import health_router, readiness, redis_probe
from bot.app.parts import Capability
from bot.app.skills import default_registry
from bot.body_limit import BodyLimit
from bot.card_successors import StoredSuccessors
from bot.dependencies import DependencyChecks
from bot.internal_port import InternalOnly
from bot.messenger import Messenger
from bot.metrics import Metrics
from bot.pacing import RedisPacer
from bot.refusals import Refusals
from bot.registry import Registry
from bot.router import resume
from bot.services import Services
from bot.state import Store, open_store
from bot.transport.dispatcher import build_dispatcher
from bot.transport.intake import Intake
from bot.transport.longconn import LongConnection
from bot.transport.webhook import WebhookPolicy, webhook_router
from bot.worker import WorkerPool
from config.scrub import register_secrets
from config.settings import Settings

__all__ = ["create_app", "BotRuntime"]

log = structlog.get_logger(__name__)


@dataclass
class BotRuntime:
    services: Services
    registry: Registry
    pool: WorkerPool
    intake: Intake
    dispatcher: Any
    longconn: LongConnection | None = None


def create_app(
    settings: Settings,
    *,
    registry: Registry | None = None,
    capabilities: Sequence[Capability] = (),
    store: Store | None = None,
    metrics: Metrics | None = None,
    api_docs: bool = False,
) -> FastAPI:
    settings.require_signed()
    register_secrets(settings.secret_values())
    if registry is None:
        registry = default_registry()
    metrics = metrics or Metrics()
    store = store or open_store(
        settings.db_url,
        redis_url=settings.secret("redis_url") or None,
        redis_prefix=settings.redis.key_prefix,
        dedupe_ttl=timedelta(hours=settings.feishu.dedupe_hours),
    )
    messenger = Messenger.create(
        settings.feishu_app_id or "",
        settings.secret("feishu_app_secret"),
        settings.domain,
        metrics,
        chat_qps=settings.runtime.chat_qps,
    )
    messenger.successors = StoredSuccessors(store.kv)  # too-old cards, across replicas
    if settings.multi_cluster:  # cards name their cluster; requests about another swap it
        messenger.cluster = settings.home_cluster
        home = next(c for c in settings.clusters if c.name == settings.home_cluster)
        settings = settings.in_timezone(home.timezone)  # the home cluster's cards' zone
    services = Services(settings, store, messenger, metrics, cluster_name=settings.home_cluster)
    services.departments = LarkDepartments(messenger.client)  # department grants
    if store.redis is not None:  # scale-out: replicas share claims, leases and pacing
        messenger.pacer = RedisPacer(store.redis, settings.runtime.chat_qps)
        services.readiness["redis"] = redis_probe(store.redis)
    pool = WorkerPool(settings.runtime.workers, settings.runtime.queue_size)
    intake = Intake(services, registry, pool)
    encrypt_key = settings.secret("feishu_encrypt_key")
    if settings.transport == "webhook" and not encrypt_key:
        log.warning("feishu_unsigned_accepted", setting="feishu.allow_unsigned")
    dispatcher = build_dispatcher(intake, encrypt_key, settings.secret("feishu_verification_token"))
    runtime = BotRuntime(services, registry, pool, intake, dispatcher)
    parts = [capability(services) for capability in capabilities]
    dependencies = DependencyChecks(services.dependencies, metrics)
    refusals = Refusals(metrics)

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
        resuming = asyncio.create_task(_resume_interrupted(services, registry))
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

    app = FastAPI(
        title="CloudOps Bot",
        lifespan=lifespan,
        openapi_url="/openapi.json" if api_docs else None,
        docs_url="/docs" if api_docs else None,
        redoc_url="/redoc" if api_docs else None,
    )
    app.state.runtime = runtime
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.server.max_body_bytes,
        by_path=settings.server.max_body_bytes_by_path,
        refusals=refusals,
    )
    if settings.server.internal_port is not None:
        app.add_middleware(InternalOnly, port=settings.server.internal_port)
    scrub_error_bodies(app)
    policy = WebhookPolicy(
        encrypt_key, settings.feishu.replay_window_seconds, settings.server.max_json_depth
    )
    app.include_router(
        webhook_router(dispatcher, metrics, policy, refusals=refusals, claim=store.dedupe.claim)
    )
    api = api_router(
        settings.secret("cloudops_api_token") or None, lambda: readiness(services, pool)
    )
    for part in parts:
        if part.api:
            api.include_router(part.api)
        if part.routes:
            app.include_router(part.routes)
    app.include_router(api)

    app.include_router(health_router(services, pool, dependencies))
    return app


async def _maybe_await(value: Any) -> None:
    if asyncio.iscoroutine(value):
        await value


async def _resume_interrupted(services: Services, registry: Registry) -> None:
    """Every replica, now and then: answer what a dead replica left half-answered."""
    while True:
        try:
            await resume(services, registry)
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
