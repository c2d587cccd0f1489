"""/setup: for a chat's approvers, the doctor's checks that matter to this chat (services,
whether /rca finds data, Kubernetes rights, approvers per namespace), with a button that
runs them again and updates the card."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.access import Requires, Role
from bot.cards.notices import notice_card, working_card
from bot.cards.setup import RERUN_ACTION, setup_card
from bot.context import ActionContext, Context
from bot.doctor import Check, DoctorInput, run_doctor
from bot.doctor.approvals import approval_checks
from bot.doctor.kubernetes import kubernetes_checks
from bot.doctor.prometheus import prometheus_checks
from bot.registry import Registry, Skill
from config.settings import Approver

__all__ = ["register", "is_chat_admin", "chat_checks"]

AREAS = {
    "approvals": approval_checks,
    "prometheus": prometheus_checks,
    "kubernetes": kubernetes_checks,
}


def is_chat_admin(approvers: Sequence[Approver], open_id: str, chat_id: str) -> bool:
    """An approver of this chat: named in person, or the chat itself is an approver."""
    return any(
        (bool(a.open_id) and a.open_id == open_id) or (bool(a.chat_id) and a.chat_id == chat_id)
        for a in approvers
    )


async def chat_checks(services: Any) -> list[Check]:
    extra: dict[str, Any] = {}
    cluster = getattr(services.cluster, "access", services.cluster)
    if cluster is not None and hasattr(cluster, "api_client"):
        extra["cluster"] = {"api_client": cluster.api_client}  # the bot's own client
    settings = services.settings
    inputs = DoctorInput(
        settings, timeout=settings.doctor.timeout_seconds, now=services.clock(), extra=extra
    )
    return await run_doctor(inputs, AREAS)


async def _checked_card(ctx: Context | ActionContext) -> dict[str, Any]:
    checks = await chat_checks(ctx.services)
    when = ctx.services.clock().strftime("%Y-%m-%d %H:%M:%S UTC")
    return setup_card(checks, list(ctx.settings.prometheus.services), ctx.lang, when)


def _refusal(ctx: Context | ActionContext) -> dict[str, Any]:
    return notice_card(ctx.t("setup.refused_title"), ctx.t("setup.refused"), "warning")


async def handle(_request: None, ctx: Context) -> None:
    if not is_chat_admin(ctx.settings.approvals.approvers, ctx.user_open_id, ctx.chat_id):
        await ctx.reply(_refusal(ctx))
        return
    working = working_card(ctx.lang, ctx.t("setup.title"), ctx.t("setup.working"))
    message_id = await ctx.reply(working)
    await ctx.patch(message_id, await _checked_card(ctx))


async def rerun(ctx: ActionContext) -> None:
    if not is_chat_admin(ctx.settings.approvals.approvers, ctx.user_open_id, ctx.chat_id):
        await ctx.send(_refusal(ctx), to_user=True)
        return
    await ctx.update_card(working_card(ctx.lang, ctx.t("setup.title"), ctx.t("setup.working")))
    await ctx.update_card(await _checked_card(ctx))


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="setup",
            usage_key="setup.usage",
            summary_key="setup.summary",
            handle=handle,
            aliases=("接入检查",),
            access=Requires(Role.approver),
        )
    )
    registry.action(RERUN_ACTION, requires=Requires(Role.approver))(rerun)
