"""One bot replica as its own process, for the scale-out tests and benchmarks.

``python -m tests.scale.instance`` builds ``create_app`` from the environment (the same
names as production: FEISHU_*, DATABASE_URL, REDIS_URL, CLOUDOPS_CONFIG) and serves it
with uvicorn on ``SCALE_PORT``. Its registry holds /help, a hidden /tally that counts
its runs in Redis, a hidden /stall whose first run hangs (to be killed mid-answer) and
whose next run answers, and a test-only card action ``scale_apply`` that claims a pending
action and records the apply (or the refusal) in the audit log.
Test routes under ``/scale-test`` report leadership, write/read durable state and wait
until the worker queue is empty.
The tests fork replicas from a server that preloaded this module (``serve``), so a
replica starts in about a second instead of re-importing lark-oapi each time.
"""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from typing import Any

import uvicorn
from fastapi import APIRouter, Request

from bot.access import Requires, Role
from bot.app import CapabilityParts, create_app
from bot.context import ActionContext, Context
from bot.registry import Registry, Skill
from bot.scheduler.lease import LeaderLease
from bot.services import Services
from config.settings import load_settings
from skills import help as help_skill

__all__ = ["build_registry", "scale_routes", "serve", "main"]


async def tally(_request: None, ctx: Context) -> None:
    """Count this run in Redis per message and replica (no Feishu call: cheap at volume)."""
    redis = ctx.services.store.redis
    assert redis is not None and ctx.message is not None
    key = redis.key("tally", ctx.message.message_id)
    await redis.client.hincrby(key, os.environ.get("SCALE_NAME", "?"), 1)


async def stall(_request: None, ctx: Context) -> None:
    """Say "working", record each run in Redis (replica names in order), hang on the
    first run, answer on the next."""
    redis = ctx.services.store.redis
    assert redis is not None and ctx.message is not None
    await ctx.reply("working on it")
    key = redis.key("stall", ctx.message.message_id)
    runs = await redis.client.rpush(key, os.environ.get("SCALE_NAME", "?"))
    if runs == 1:
        await asyncio.sleep(3600)  # the test kills this replica meanwhile
    await ctx.reply(f"answered by {os.environ.get('SCALE_NAME', '?')} on run {runs}")


def build_registry() -> Registry:
    registry = Registry()
    help_skill.register(registry)
    read = Requires(Role.viewer)  # test-only: open to every chat, as the scale tests need
    registry.add_skill(
        Skill("tally", "help.usage", "help.summary", tally, hidden=True, access=read)
    )
    registry.add_skill(
        Skill("stall", "help.usage", "help.summary", stall, hidden=True, access=read)
    )

    @registry.action("scale_apply", requires=read)
    async def apply(ctx: ActionContext) -> None:
        action_id = str(ctx.value["id"])
        store = ctx.services.store
        outcome = await store.approvals.claim(action_id, ctx.user_open_id, "applying")
        result = "applied" if outcome == "claimed" else outcome
        await store.audit.record(
            actor=ctx.user_open_id,
            chat_id=ctx.chat_id,
            action="scale_apply",
            result=result,
            action_id=action_id,
            detail=os.environ.get("SCALE_NAME", ""),
        )
        if outcome == "claimed":
            await store.approvals.finish(action_id, "applied", "ok")
            await ctx.send(f"applied {action_id}")

    return registry


def scale_routes(services: Services) -> CapabilityParts:
    ttl = timedelta(milliseconds=int(os.environ.get("SCALE_LEASE_TTL_MS", "2000")))
    lease = LeaderLease(services.store.leases, "scheduler", ttl=ttl)
    store = services.store
    router = APIRouter(prefix="/scale-test")

    @router.get("/leader")
    async def leader() -> dict[str, Any]:
        return {"holder": lease.holder, "leader": lease.is_leader, "pid": os.getpid()}

    @router.post("/state")
    async def write(body: dict[str, str]) -> dict[str, str]:
        chat, user = body["chat_id"], body["user"]
        action = await store.approvals.propose(
            kind="scale",
            payload='{"replicas": 3}',
            payload_hash="h" * 64,
            namespace="default",
            target="deployment/web",
            chat_id=chat,
            proposed_by=user,
            ttl=timedelta(hours=1),
        )
        await store.sessions.save(user, chat, [{"role": "user", "content": body["note"]}])
        sub = await store.subscriptions.add(
            chat_id=chat, kind="digest", target="web", schedule="0 9 * * *", created_by=user
        )
        await store.audit.record(
            actor=user, chat_id=chat, action="note", result="ok", detail=body["note"]
        )
        return {"action_id": action.id, "subscription_id": sub.id}

    @router.get("/state")
    async def read(chat_id: str, user: str, action_id: str) -> dict[str, Any]:
        action = await store.approvals.get(action_id)
        audit = [r for r in await store.audit.recent(1000) if r.chat_id == chat_id]
        return {
            "action": None if action is None else {"status": action.status, "chat": action.chat_id},
            "session": await store.sessions.load(user, chat_id),
            "subscriptions": [s.id for s in await store.subscriptions.list(chat_id)],
            "audit": [{"action": r.action, "detail": r.detail} for r in audit],
        }

    @router.post("/drain")
    async def drain(request: Request) -> dict[str, bool]:
        """Return once this replica's worker queue is empty (a test's sentinel)."""
        await request.app.state.runtime.pool.join()
        return {"drained": True}

    return CapabilityParts(routes=router, start=lease.start, stop=lease.stop)


def serve(env: dict[str, str], log_path: str) -> None:
    """Entry point in a process forked from a preloaded fork server (fast start)."""
    out = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.environ.update(env)
    main()


def main() -> None:
    settings = load_settings()
    app = create_app(settings, registry=build_registry(), capabilities=[scale_routes])
    port = int(os.environ["SCALE_PORT"])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
