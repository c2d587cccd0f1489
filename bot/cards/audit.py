"""The audit card: the latest approvals, applies and undos as a table within budget."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.cards.card import Card, card
from bot.cards.cutting import cut_bytes, utf8_len
from bot.cards.elements import Element, markdown, table
from messages import t

__all__ = ["AuditRow", "audit_card"]

AUDIT_BYTES = 16_000  # of the table's rows
AUDIT_CELL = 200  # characters of one cell


def _cut(text: str, limit: int) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return cut_bytes(text, limit * 3)


@dataclass(frozen=True)
class AuditRow:
    at: str
    actor: str
    action: str
    result: str
    detail: str


def audit_card(rows: Sequence[AuditRow], lang: str) -> Card:
    if not rows:
        return card(t("audit.title", lang, count=0), [markdown(t("audit.empty", lang))])
    spec = [
        ("at", t("audit.col.at", lang), "text"),
        ("actor", t("audit.col.actor", lang), "text"),
        ("action", t("audit.col.action", lang), "text"),
        ("result", t("audit.col.result", lang), "text"),
        ("detail", t("audit.col.detail", lang), "text"),
    ]
    data: list[dict[str, str]] = []
    used = 0
    for r in rows:  # as many rows as fit in AUDIT_BYTES
        row = {
            "at": _cut(r.at, AUDIT_CELL),
            "actor": _cut(r.actor, AUDIT_CELL),
            "action": _cut(r.action, AUDIT_CELL),
            "result": _cut(r.result, AUDIT_CELL),
            "detail": _cut(r.detail, AUDIT_CELL),
        }
        used += sum(utf8_len(v) + len(k) + 6 for k, v in row.items())
        if used > AUDIT_BYTES:
            break
        data.append(row)
    elements: list[Element] = [table(spec, data, page_size=10)]
    if len(data) < len(rows):
        elements.append(markdown(t("cards.rows_more", lang, count=len(rows) - len(data))))
    return card(t("audit.title", lang, count=len(rows)), elements, severity="info")
