"""The /cluster card: the chat's cluster and every configured one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.cards.card import Card, card
from bot.cards.elements import markdown, table
from bot.cards.escape import escape_markdown
from messages import t

__all__ = ["ClusterRow", "clusters_card"]


@dataclass(frozen=True)
class ClusterRow:
    name: str
    prometheus: str | None  # the URL (never its credentials), None: not configured
    api: bool  # an API server is reachable through the configuration


def clusters_card(rows: Sequence[ClusterRow], current: str, bound: bool, lang: str) -> Card:
    how = t("cluster.how.bound" if bound else "cluster.how.default", lang)
    body = [markdown(t("cluster.this_chat", lang, name=escape_markdown(current), how=how))]
    if len(rows) > 1:
        missing = t("cluster.not_configured", lang)
        body.append(
            table(
                [
                    ("name", t("cluster.column.name", lang), "text"),
                    ("api", t("cluster.column.api", lang), "text"),
                    ("prometheus", t("cluster.column.prometheus", lang), "text"),
                ],
                [
                    {
                        "name": ("▶ " if r.name == current else "") + r.name,
                        "api": t("cluster.configured", lang) if r.api else missing,
                        "prometheus": r.prometheus or missing,
                    }
                    for r in rows
                ],
                page_size=10,
            )
        )
        body.append(markdown(t("cluster.override", lang)))
    else:
        body.append(markdown(t("cluster.single", lang, name=escape_markdown(current))))
    return card(t("cluster.title", lang), body)
