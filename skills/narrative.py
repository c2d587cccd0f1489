"""Turn agent reports into card markdown (labels from the catalogue), for any skill."""

from __future__ import annotations

from agents import AgentFailed, RcaReport
from bot.texts.agents import cost_line, failure_text
from messages import t

__all__ = ["rca_narrative", "failure_note"]


def rca_narrative(report: RcaReport, lang: str) -> tuple[str, str]:
    """(markdown body, cost footer) of an RCA report."""
    lines = [
        f"**{t('narrative.summary', lang)}** {report.summary}",
        f"**{t('narrative.root_cause', lang)}** {report.root_cause}",
        f"**{t('narrative.confidence', lang)}** {t('narrative.level.' + report.confidence, lang)}",
    ]
    if report.evidence:
        lines.append(f"**{t('narrative.evidence', lang)}**")
        lines += [f"- {item.claim} (`{item.tool}`)" for item in report.evidence[:6]]
    if report.next_steps:
        lines.append(f"**{t('narrative.next_steps', lang)}**")
        lines += [f"{i}. {step}" for i, step in enumerate(report.next_steps[:5], 1)]
    if report.unverified:
        lines.append(t("agents.unverified", lang, claims="; ".join(report.unverified[:3])))
    return "\n".join(lines), cost_line(report.usage, lang)


def failure_note(error: AgentFailed, lang: str) -> str:
    return failure_text(error, lang)
