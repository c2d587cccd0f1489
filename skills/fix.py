"""/fix <deployment> [-n ns]: diagnose a workload and offer its fix plan for approval.

``StatefulSet/db`` and ``DaemonSet/agent`` name other workloads. The plan is proposed by
``skills.plan_proposal`` and offered by ``skills.plan_offer``; the buttons that propose
plans from other cards are ``skills.fix_buttons``. Proposing reads (nothing changes until
an approver approves): viewer role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.access import Requires, Role, Scope
from bot.context import Context
from bot.registry import Registry, Skill, UsageError
from skills.arguments import NAME, take_option
from skills.namespaces import default_namespace
from skills.plan_proposal import FIXABLE, propose_for, workload_of

__all__ = ["FixRequest", "parse", "register"]


@dataclass(frozen=True)
class FixRequest:
    deployment: str  # a Deployment's name, or ``StatefulSet/db`` / ``DaemonSet/agent``
    namespace: str | None


def parse(args: Sequence[str]) -> FixRequest:
    namespace, rest = take_option(args, "-n", "--namespace")
    if not rest:
        raise UsageError("usage.missing_argument", name="deployment")
    if len(rest) > 1:
        raise UsageError("usage.too_many_arguments", args=" ".join(rest[1:]))
    try:
        kind, name = workload_of(rest[0])
    except ValueError:
        kind, name = "", rest[0]
    if kind not in FIXABLE:
        raise UsageError("fix.bad_kind")
    if not NAME.match(name):
        raise UsageError("usage.bad_name", value=name)
    return FixRequest(name if kind == "Deployment" else f"{kind}/{name}", namespace)


def scope(req: FixRequest, ctx: Context) -> Scope:
    """The namespace named by -n (default: the deployment's in prometheus.services)."""
    return Scope(namespace=req.namespace or default_namespace(ctx.settings, req.deployment))


async def handle(req: FixRequest, ctx: Context) -> None:
    namespace = req.namespace or default_namespace(ctx.settings, req.deployment)
    await propose_for(ctx, namespace, req.deployment)


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="fix",
            usage_key="fix.usage",
            summary_key="fix.summary",
            parse=parse,
            handle=handle,
            aliases=("修复",),
            access=Requires(Role.viewer, scope=scope),
        )
    )
