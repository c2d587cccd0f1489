"""Running one skill or card action: a command's arguments are parsed (bad ones get the
usage card), the access rule is checked, then the handler runs guarded, so a failure
becomes an error card naming its cause instead of silence.

The router runs every delivery through here; a card button that starts a command (an
alert card's "Run RCA") does the same.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Sequence

import structlog

from bot.access.guard import admitted
from bot.cards.notices import internal_error_card, usage_card
from bot.cluster_scope import cluster_for, take_cluster_flag, unknown_cluster_error
from bot.context import ActionContext, Context
from bot.messenger import FeishuError
from bot.registry import DependencyError, Skill, UsageError
from bot.services import UnknownCluster
from messages import t

__all__ = ["guarded", "run_skill"]

log = structlog.get_logger(__name__)


async def guarded(name: str, work: Awaitable[None], ctx: Context | ActionContext) -> None:
    """Run a skill or card action; a failure becomes an error card naming its cause, on the
    request's "working" card when it has one (never a second card)."""
    metrics = ctx.services.metrics
    started = time.perf_counter()
    try:
        await work
    except FeishuError as exc:  # the answer itself could not be delivered: nothing to say
        metrics.errors.labels(kind="feishu").inc()
        log.error("feishu_send_failed", handler=name, code=exc.code, status=exc.status)
    except DependencyError as exc:
        metrics.errors.labels(kind=f"dependency:{exc.dependency}").inc()
        log.warning("dependency_failed", handler=name, dependency=exc.dependency)
        await ctx.fail(ctx.dependency_card(exc.dependency, exc.detail))
    except Exception:
        metrics.errors.labels(kind=f"handler:{name}").inc()
        log.exception("handler_failed", handler=name)
        await ctx.fail(internal_error_card(ctx.lang, name))
    finally:
        metrics.skill_latency.labels(skill=name).observe(time.perf_counter() - started)


async def run_skill(skill: Skill, args: Sequence[str], ctx: Context) -> None:
    """Run ``skill`` as the chat command ``/name args`` in ``ctx``; ``--cluster NAME``
    (``-c``) among the arguments points the context at that cluster first."""
    lang = ctx.lang
    try:
        named, args = take_cluster_flag(args)
        if named is not None:
            ctx.services = ctx.services.in_cluster(await cluster_for(ctx.services, "", named))
        request = skill.parse(args)
    except UnknownCluster as exc:
        error = unknown_cluster_error(exc)
        text = t(error.key, lang, **error.params)
        await ctx.reply(usage_card(lang, text, t(skill.usage_key, lang)))
        return
    except UsageError as exc:
        await ctx.reply(usage_card(lang, t(exc.key, lang, **exc.params), t(skill.usage_key, lang)))
        return
    name = f"/{skill.name}"

    async def checked() -> None:
        if await admitted(skill.access, request, ctx, name, ctx.reply):
            try:
                await skill.handle(request, ctx)
            except UsageError as exc:  # arguments only the configuration can judge
                problem = t(exc.key, lang, **exc.params)
                await ctx.reply(usage_card(lang, problem, t(skill.usage_key, lang)))

    await guarded(name, checked(), ctx)
