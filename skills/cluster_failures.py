"""The card for a failed Kubernetes call: the cause in the reader's words.

A missing object or a refused permission is said as such ("object not found: Deployment
payments/fraud", "permission denied: ... get deployments"); an API server that does not
answer is a failing dependency, with the time it started failing.
"""

from __future__ import annotations

from bot.cards.card import Card, card
from bot.cards.elements import markdown
from bot.cards.escape import escape_markdown
from bot.context import ActionContext, Context
from bot.texts.cluster import error_text
from cluster.errors import ClusterApiError, ClusterError, NotFound

__all__ = ["cluster_failure_card"]


def cluster_failure_card(
    ctx: Context | ActionContext, error: ClusterError, deployment: str = ""
) -> Card:
    detail = error_text(error, deployment, ctx.lang)
    if isinstance(error, NotFound):
        title = ctx.t("cluster.failure.not_found")
    elif isinstance(error, ClusterApiError) and error.status in (401, 403):
        title = ctx.t("cluster.failure.forbidden")
    else:
        return ctx.dependency_card("Kubernetes", detail)
    return card(title, [markdown(escape_markdown(detail))], severity="error")
