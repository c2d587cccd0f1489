"""The /setup card: the doctor's checks that matter to a chat, fixes folded, a re-run button."""

from __future__ import annotations

from collections.abc import Sequence

from bot.cards.card import Card, Severity, card
from bot.cards.elements import Element, actions, button, markdown, panel
from bot.doctor.result import Check, worst
from messages import t

__all__ = ["setup_card", "RERUN_ACTION", "MAX_LINES"]

RERUN_ACTION = "setup_rerun"
MAX_LINES = 40  # one line per check; the card stays far below the size limit
_ICON = {"ok": "✅", "warn": "⚠️", "fail": "❌"}
_SEVERITY: dict[str, Severity] = {"ok": "ok", "warn": "warning", "fail": "error"}
MAX_DETAIL = 300
MAX_FIX = 1500


def _line(check: Check) -> str:
    detail = check.detail if len(check.detail) <= MAX_DETAIL else check.detail[:MAX_DETAIL] + "…"
    return f"{_ICON[check.status]} **{check.name}**: {detail}"


def _fix(check: Check) -> str:
    fix = check.fix if len(check.fix) <= MAX_FIX else check.fix[:MAX_FIX] + "…"
    head, _, rest = fix.partition("\n")
    block = f"\n```yaml\n{rest}```" if rest.strip() else ""
    return f"**{check.name}**: {head}{block}"


def setup_card(
    checks: Sequence[Check], services: Sequence[str], lang: str, checked_at: str
) -> Card:
    counts = {s: sum(c.status == s for c in checks) for s in ("ok", "warn", "fail")}
    listed = ", ".join(f"`{s}`" for s in services)
    configured = t("setup.services", lang, services=listed)
    elements: list[Element] = [
        markdown(configured if services else t("setup.no_services", lang)),
        markdown("\n".join(_line(c) for c in checks[:MAX_LINES])),
    ]
    problems = [c for c in checks if c.status != "ok" and c.fix]
    if problems:
        fixes = [markdown(_fix(c)) for c in problems[:10]]
        elements.append(panel(t("setup.fixes", lang), fixes, expanded=True))
    elements.append(
        actions([button(t("setup.rerun", lang), {"action": RERUN_ACTION}, kind="primary")])
    )
    elements.append(markdown(t("setup.footer", lang, time=checked_at), text_size="notation"))
    return card(
        t("setup.title", lang),
        elements,
        severity=_SEVERITY[worst(checks)],
        subtitle=t("setup.subtitle", lang, **counts),
    )
