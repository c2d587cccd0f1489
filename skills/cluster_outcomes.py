"""What ``--clusters`` cards (``/diagnose``, ``/alerts``) say of a cluster that gave no
answer: timed out, failed, or without the capability asked for."""

from __future__ import annotations

from typing import TypeVar

from bot.cards.fanout import ClusterSection
from bot.context import Context
from bot.fanout import Answered, Outcome, TimedOut

__all__ = ["answer_of"]

T = TypeVar("T")


def answer_of(
    outcome: Outcome[T | None], ctx: Context, timeout: float, dependency: str
) -> T | ClusterSection:
    """The cluster's answer, or the section saying why there is none (a timeout, a
    failure, or ``dependency`` not configured there)."""
    name = outcome.cluster
    if isinstance(outcome, TimedOut):
        text = ctx.t("fanout.timed_out", seconds=f"{timeout:g}")
        return ClusterSection(name, text, answered=False)
    if not isinstance(outcome, Answered):
        return ClusterSection(
            name, ctx.t("fanout.unreachable", cause=outcome.cause), answered=False
        )
    if outcome.value is None:
        text = ctx.t("fanout.not_configured", dependency=dependency)
        return ClusterSection(name, text, answered=False)
    return outcome.value
