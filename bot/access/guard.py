"""The check the router runs before any skill or card action: decide, and on refusal
audit it and answer with a card naming the missing role (and the namespace)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, Protocol

import structlog

from bot.access.policy import ALL, Identity, Policy, Refusal, Scope
from bot.access.requirement import Rule
from bot.cards.card import Card
from bot.cards.notices import notice_card
from messages import t

__all__ = ["admitted", "refusal_text", "DepartmentDirectory"]

log = structlog.get_logger(__name__)


class DepartmentDirectory(Protocol):
    async def departments_of(self, open_id: str) -> frozenset[str]: ...


def who(open_id: str) -> str:
    return f"<at id={open_id}></at>" if open_id else "—"


def refusal_text(refusal: Refusal, handler: str, open_id: str, lang: str) -> str:
    """The refusal in words: who, what, and the role (and namespace) it needs."""
    if refusal.reason != "unauthorised":
        return t(f"access.refused.{refusal.reason}", lang, who=who(open_id), command=handler)
    role = t(f"access.role.{refusal.role.name}", lang)
    namespace = refusal.namespace
    if namespace is None:
        key, where = "access.refused.role", ""
    elif namespace == ALL:
        key, where = "access.refused.role_in", t("access.all_namespaces", lang)
    else:
        key, where = "access.refused.role_in", namespace
    return t(key, lang, who=who(open_id), command=handler, role=role, namespace=where)


async def _departments(ctx: Any, policy: Policy) -> frozenset[str]:
    if not policy.uses_departments or not ctx.user_open_id:
        return frozenset()
    directory: DepartmentDirectory | None = ctx.services.departments
    if directory is None:
        return frozenset()
    return await directory.departments_of(ctx.user_open_id)


async def admitted(
    rule: Rule, subject: Any, ctx: Any, handler: str, answer: Callable[[Card], Awaitable[Any]]
) -> bool:
    """True when the policy allows ``handler`` for ``subject``; otherwise the refusal is
    audited and answered, and False."""
    requires = rule.pick(subject)
    need = await requires.need(subject, ctx)
    if need.scope.cluster is None:  # every request is about the context's cluster
        need = replace(need, scope=replace(need.scope, cluster=ctx.services.cluster_name))
    policy = Policy.from_settings(ctx.settings)
    identity = Identity(ctx.user_open_id, ctx.chat_id, await _departments(ctx, policy))
    refusal = policy.decide(identity, need)
    if refusal is None:
        return True
    await _record(ctx, requires.audit_as or handler, refusal, need.scope)
    if requires.on_refused is not None:
        await requires.on_refused(ctx, refusal, need.scope)
    else:
        text = refusal_text(refusal, handler, ctx.user_open_id, ctx.lang)
        await answer(notice_card(t("access.refused.title", ctx.lang), text, "error"))
    return False


async def _record(ctx: Any, action: str, refusal: Refusal, scope: Scope) -> None:
    ctx.services.metrics.access_refused.labels(handler=action, reason=refusal.reason).inc()
    log.info("access_refused", handler=action, reason=refusal.reason, namespace=scope.namespace)
    detail = f"needs {refusal.role.name}" + (
        f" in namespace {scope.namespace}" if scope.namespace else ""
    )
    await ctx.services.store.audit.record(
        actor=ctx.user_open_id,
        chat_id=ctx.chat_id,
        action=action,
        result=refusal.reason,
        action_id=(scope.object_id or "")[:40] or None,
        detail=detail,
    )
