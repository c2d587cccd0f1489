"""/cluster: which cluster this chat works on, every configured one, and
``/cluster use NAME`` to bind the chat (admins of that cluster)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.access import PerRequest, Requires, Role, Scope
from bot.cards.clusters import ClusterRow, clusters_card
from bot.cards.notices import notice_card, usage_card
from bot.cluster_scope import bind_chat, bound_cluster
from bot.context import Context
from bot.registry import Registry, Skill, UsageError
from config.sections import CLUSTER_NAME

__all__ = ["ClusterRequest", "parse", "register"]

USE = "use"


@dataclass(frozen=True)
class ClusterRequest:
    use: str | None = None  # bind the chat to this cluster


def parse(args: Sequence[str]) -> ClusterRequest:
    if not args or (len(args) == 1 and args[0].lower() == "list"):
        return ClusterRequest()
    if args[0].lower() != USE:
        raise UsageError("usage.too_many_arguments", args=" ".join(args))
    if len(args) < 2:
        raise UsageError("usage.missing_argument", name="NAME")
    if len(args) > 2:
        raise UsageError("usage.too_many_arguments", args=" ".join(args[2:]))
    if not CLUSTER_NAME.match(args[1]):
        raise UsageError("usage.bad_name", value=args[1])
    return ClusterRequest(use=args[1])


def _use_scope(req: ClusterRequest, _ctx: Context) -> Scope:
    return Scope(cluster=req.use)


# Anyone who may read sees the clusters; binding a chat is for admins of that cluster.
ACCESS = PerRequest(
    lambda req: USE if req.use else "",
    {
        "": Requires(Role.viewer),
        USE: Requires(Role.admin, changes_state=True, scope=_use_scope, audit_as="/cluster use"),
    },
)


async def handle(req: ClusterRequest, ctx: Context) -> None:
    settings = ctx.settings
    known: list[str] = settings.cluster_names
    if req.use is not None:
        if req.use not in known:  # the usage card (raised here, it became an internal error)
            problem = ctx.t("usage.unknown_cluster", value=req.use, known=", ".join(known))
            await ctx.reply(usage_card(ctx.lang, problem, ctx.t("cluster.usage")))
            return
        await bind_chat(ctx.services.store, ctx.chat_id, req.use)
        await ctx.services.store.audit.record(
            actor=ctx.user_open_id,
            chat_id=ctx.chat_id,
            action="/cluster use",
            result="ok",
            detail=f"cluster {req.use}",
        )
        ctx.services = ctx.services.in_cluster(req.use)  # the answer names its cluster
        await ctx.reply(
            notice_card(ctx.t("cluster.title"), ctx.t("cluster.bound", name=req.use), "ok")
        )
        return
    bound = await bound_cluster(ctx.services.store, ctx.chat_id)
    rows = [
        ClusterRow(
            name=entry.name,
            prometheus=(entry.prometheus.url if entry.prometheus else None),
            api=entry.name in ctx.services.clusters
            and ctx.services.clusters[entry.name].cluster is not None,
        )
        for entry in settings.cluster_entries()
    ]
    current = ctx.services.cluster_name
    await ctx.reply(clusters_card(rows, current, bound == current, ctx.lang))


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="cluster",
            usage_key="cluster.usage",
            summary_key="cluster.summary",
            parse=parse,
            handle=handle,
            aliases=("集群",),
            access=ACCESS,
        )
    )
