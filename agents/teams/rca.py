"""RCA team: an investigator with read-only tools, a reviewer that writes the checked report."""

from __future__ import annotations

import re
from typing import Any

from agents.metered import MeteredClient
from agents.parsing import parse_reply
from agents.prompts import INVESTIGATOR, RCA_REVIEWER, system_message
from agents.reports import Confidence, RcaReport
from agents.teams.budget import Budget
from agents.teams.pipeline import gather_then_write
from agents.teams.run import final_text, run_team
from agents.tools import ToolSet, build_tools
from agents.untrusted import as_text, wrap

__all__ = ["RCA_TOOLS", "narrate", "check_claims"]

RCA_TOOLS = (
    "query_metrics",
    "rank_root_causes",
    "list_pods",
    "list_events",
    "read_logs",
    "run_diagnosis",
    "search_knowledge",
)
_MODEL_FIELDS = {"summary", "root_cause", "confidence", "evidence", "next_steps"}
_LOWER: dict[Confidence, Confidence] = {"high": "medium", "medium": "low", "low": "low"}


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def check_claims(report: RcaReport, observed: str) -> RcaReport:
    """Keep evidence whose quote was really observed; the rest becomes ``unverified``.

    Each dropped claim lowers the confidence one step; no verified evidence at all caps it
    at low.
    """
    seen = _normal(observed)
    kept = [e for e in report.evidence if e.quote.strip() and _normal(e.quote) in seen]
    dropped = [e.claim for e in report.evidence if e not in kept]
    confidence: Confidence = report.confidence
    for _ in dropped:
        confidence = _LOWER[confidence]
    if not kept:
        confidence = "low"
    return report.model_copy(
        update={"evidence": kept, "unverified": dropped, "confidence": confidence}
    )


async def narrate(
    meter: MeteredClient,
    tool_set: ToolSet,
    evidence: dict[str, Any],
    question: str,
    *,
    lang: str | None,
    budget: Budget,
) -> RcaReport:
    team = gather_then_write(
        meter,
        gatherer=("investigator", system_message(INVESTIGATOR, lang)),
        writer=("reviewer", system_message(RCA_REVIEWER, lang)),
        tools=build_tools(tool_set, RCA_TOOLS),
        budget=budget,
    )
    given = wrap("evidence", evidence, limit=8000)
    task = f"{question or 'Explain the root cause of this incident.'}\n\nRanked evidence:\n{given}"
    result = await run_team(team, task, budget, meter)
    reply = final_text(result, "reviewer", meter)
    report = parse_reply(reply, RcaReport, allowed=_MODEL_FIELDS, usage=meter.usage)
    observed = "\n".join((as_text(evidence), tool_set.ledger.text()))
    checked = check_claims(report, observed)
    return checked.model_copy(
        update={"usage": meter.usage, "tools_called": tool_set.ledger.names()}
    )
