"""/logs <workload> [-n ns] [--previous] [--since 10m] [--grep WORD]: a log tail as a card,
the lines that matter first. Loki when LOKI_URL is set, the Kubernetes API otherwise;
always redacted and bounded."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.access import Requires, Role, Scope
from bot.cards.logs import ShownLine, logs_card
from bot.cards.notices import error_card, working_card
from bot.context import Context
from bot.registry import Registry, Skill, UsageError
from bot.texts.cluster import error_text
from cluster import ClusterError
from cluster.logdigest import LogLine, digest
from cluster.logsources import LogQuery, LogText, kubernetes_logs, loki_logs
from config.availability import availability
from skills.arguments import NAME, parse_window, take_option
from skills.cluster_access import require_access

__all__ = ["LogsRequest", "parse", "register"]

MAX_GREP = 100


@dataclass(frozen=True)
class LogsRequest:
    workload: str
    namespace: str | None = None
    previous: bool = False
    since_seconds: int | None = None
    grep: str | None = None


def _take_text(args: list[str], flag: str) -> tuple[str | None, list[str]]:
    """``--grep WORD`` (any text, unlike names)."""
    if flag not in args:
        return None, args
    index = args.index(flag)
    if index + 1 >= len(args):
        raise UsageError("usage.missing_option_value", option=flag)
    return args[index + 1], args[:index] + args[index + 2 :]


def parse(args: Sequence[str]) -> LogsRequest:
    grep, rest = _take_text(list(args), "--grep")
    since_text, rest = _take_text(rest, "--since")
    namespace, rest = take_option(rest, "-n", "--namespace")
    previous = "--previous" in rest or "-p" in rest
    rest = [a for a in rest if a not in ("--previous", "-p")]
    if len(rest) != 1:
        raise UsageError("logs.usage" if not rest else "usage.too_many_arguments",
                         args=" ".join(rest[1:]))  # fmt: skip
    if not NAME.match(rest[0]):
        raise UsageError("usage.bad_name", value=rest[0])
    if grep is not None and not 0 < len(grep) <= MAX_GREP:
        raise UsageError("logs.bad_grep", limit=MAX_GREP)
    since = None
    if since_text is not None:
        window = parse_window(since_text, least=timedelta(seconds=10), most=timedelta(days=7))
        since = int(window.total_seconds())
    return LogsRequest(rest[0], namespace, previous, since, grep)


def _shown(lines: Sequence[LogLine]) -> list[ShownLine]:
    return [ShownLine(line.text, line.count, line.category) for line in lines]


async def _read(req: LogsRequest, ctx: Context, query: LogQuery) -> LogText:
    settings = ctx.settings
    if availability(settings).loki:
        logs = settings.logs
        return await loki_logs(settings.loki_url or "", query, limit=logs.loki_limit,
                               timeout=logs.loki_timeout_seconds)  # fmt: skip
    return await kubernetes_logs(require_access(ctx), query)


async def handle(req: LogsRequest, ctx: Context) -> None:
    namespace = req.namespace or "default"
    title = ctx.t("logs.title", namespace=namespace, workload=req.workload)
    if req.previous:
        title = ctx.t("logs.title.previous", namespace=namespace, workload=req.workload)
    working_id = await ctx.reply(working_card(ctx.lang, title, ctx.t("logs.working")))
    started = time.perf_counter()
    limits = ctx.settings.logs
    query = LogQuery(namespace, req.workload, req.previous, req.since_seconds, limits.tail_lines)
    try:
        found = await _read(req, ctx, query)
    except ClusterError as error:
        source = "Loki" if availability(ctx.settings).loki else "Kubernetes"
        await ctx.patch(
            working_id, error_card(ctx.lang, source, error_text(error, req.workload, ctx.lang))
        )
        return
    summary = digest(found.text, grep=req.grep, max_lines=limits.max_lines,
                     max_bytes=limits.max_bytes)  # fmt: skip
    notes = [ctx.t("logs.cut")] if summary.cut else []
    footer = ctx.t(
        "logs.footer",
        source=found.source,
        pods=", ".join(found.pods) or "-",
        lines=summary.total,
        seconds=f"{time.perf_counter() - started:.1f}",
    )
    card = logs_card(title, _shown(summary.important), _shown(summary.tail), ctx.lang,
                     notes=notes, footer=footer)  # fmt: skip
    await ctx.patch(working_id, card)


def scope(req: LogsRequest, ctx: Context) -> Scope:
    """The namespace named by -n (default: default)."""
    return Scope(namespace=req.namespace or "default")


def register(registry: Registry) -> None:
    registry.add_skill(
        Skill(
            name="logs",
            usage_key="logs.usage",
            summary_key="logs.summary",
            parse=parse,
            handle=handle,
            aliases=("日志",),
            access=Requires(Role.viewer, scope=scope),
        )
    )
