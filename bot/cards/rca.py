"""The /rca result card: verdict, ranked candidates with evidence, a chart, events, buttons.

Within budget by construction: the chart keeps at most ``MAX_POINTS`` points per series
(bucket extremes, so the peak and the onset bucket survive), names each series once (a
short ``#n`` in the points, the full name in a legend line), events and the narrative are
cut by UTF-8 bytes at line or sentence ends. Every outside text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from analysis.evidence import Candidate, RcaResult
from analysis.workloads import workload_of
from bot.cards.card import Card, Severity, card
from bot.cards.changes import change_lines, change_verdict
from bot.cards.chart_data import MAX_POINTS, bucket_series
from bot.cards.clock import card_time
from bot.cards.cutting import cut_bytes
from bot.cards.elements import Element, actions, button, chart, markdown, panel, table
from bot.cards.escape import escape_markdown
from bot.cards.link_row import link_row
from bot.cards.units import format_value, metric_label
from messages import t

__all__ = ["RcaView", "rca_card", "chart_spec", "MAX_POINTS"]

MAX_CHART_SERIES = 3
MAX_EVENTS = 15
EVENT_BYTES = 300
NARRATIVE_BYTES = 6000
LEGEND_NAME = 60  # characters of an entity name in the legend line
FOOTER_BYTES = 600


@dataclass(frozen=True)
class RcaView:
    service: str
    namespace: str
    window: str
    result: RcaResult
    frame: pd.DataFrame
    events: Sequence[str] = ()
    footer: str = ""
    narrative: str = ""  # markdown from the agents, or a note on why there is none
    timezone: str = "UTC"
    now: datetime | None = None  # for "today 20:01"; default: the last sample's time
    signals: str = ""  # which signals were used and which the service lacks
    links: Mapping[str, str] = field(default_factory=dict)  # grafana / prometheus: URL

    def when(self, moment: pd.Timestamp | None, lang: str) -> str:
        now = self.now
        if now is None and not self.frame.empty:
            now = pd.Timestamp(self.frame["timestamp"].max()).to_pydatetime()
        return card_time(moment, self.timezone, lang, now)


def _epochs(times: pd.Series) -> np.ndarray:
    return np.asarray([ts.timestamp() for ts in times], dtype=float)


def _chart_series(
    frame: pd.DataFrame, candidates: Sequence[Candidate]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    found: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for rank, cand in enumerate(candidates[:MAX_CHART_SERIES], 1):
        entity, metric = cand.key
        rows = frame[(frame["entity"] == entity) & (frame["metric"] == metric)]
        rows = rows.sort_values("timestamp")
        if not rows.empty:
            found[f"#{rank}"] = (_epochs(rows["timestamp"]), rows["value"].to_numpy(float))
    return found


def chart_spec(
    frame: pd.DataFrame, candidates: Sequence[Candidate], lang: str, timezone: str = "UTC"
) -> dict[str, object]:
    """A VChart line spec of the top candidates' main signals, scaled to 0–1, onset marked;
    at most ``MAX_POINTS`` points per series, series named ``#rank``."""
    bucketed = bucket_series(_chart_series(frame, candidates), timezone, MAX_POINTS)
    values: list[dict[str, object]] = []
    for name, series in bucketed.values.items():
        present = [v for v in series if v is not None]
        if not present:
            continue
        low, high = min(present), max(present)
        span = high - low if high > low else 1.0
        values += [
            {"t": label, "v": round((v - low) / span, 3), "s": name}
            for label, v in zip(bucketed.labels, series, strict=True)
            if v is not None
        ]
    spec: dict[str, object] = {
        "type": "line",
        "data": {"values": values},
        "xField": "t",
        "yField": "v",
        "seriesField": "s",
        "legends": {"visible": True, "orient": "bottom"},
        "axes": [
            {"orient": "left", "title": {"visible": True, "text": t("rca.chart.axis", lang)}},
            {"orient": "bottom", "type": "band"},
        ],
    }
    top = candidates[0] if candidates else None
    onset = bucketed.label_at(top.onset.timestamp()) if top is not None else None
    if onset is not None and values:
        spec["markLine"] = [
            {"x": onset, "label": {"visible": True, "text": t("rca.chart.onset", lang)}}
        ]
    return spec


def _legend(candidates: Sequence[Candidate], lang: str) -> str:
    parts = []
    for rank, cand in enumerate(candidates[:MAX_CHART_SERIES], 1):
        name = cand.entity if len(cand.entity) <= LEGEND_NAME else cand.entity[:LEGEND_NAME] + "…"
        metric = metric_label(cand.metric, lang)
        parts.append(f"**#{rank}** {escape_markdown(name)} · {escape_markdown(metric)}")
    return "  ".join(parts)


def _verdict(view: RcaView, lang: str) -> tuple[str, Severity]:
    top = view.result.top
    if view.result.verdict == "no_anomaly" or top is None:
        service = escape_markdown(view.service)
        return t("rca.verdict.none", lang, service=service, window=view.window), "ok"
    params = dict(
        entity=escape_markdown(top.entity),
        metric=escape_markdown(metric_label(top.metric, lang)),
        onset=view.when(top.onset, lang),
        baseline=format_value(top.baseline, top.metric, lang),
        peak=format_value(top.peak, top.metric, lang),
        score=f"{top.score:.2f}",
    )
    if view.result.verdict == "ambiguous":
        return t("rca.verdict.ambiguous", lang, **params), "warning"
    return t("rca.verdict.cause", lang, **params), "critical"


def _rows(view: RcaView, candidates: Sequence[Candidate], lang: str) -> list[dict[str, object]]:
    """One row per candidate; pods of one Deployment with the same signal share a row
    ("ledger (2/2 pods)") at the rank of the first, with the earliest onset."""
    groups: dict[tuple[str, str], list[Candidate]] = {}
    for cand in candidates:
        workload = workload_of(cand.entity)
        key = (workload, cand.metric) if workload != cand.entity else (cand.entity, cand.metric)
        groups.setdefault(key, []).append(cand)
    rows = []
    for rank, ((workload, metric), members) in enumerate(groups.items(), 1):
        first = members[0]
        entity = first.entity
        if len(members) > 1:
            pods = {e for e in view.frame.get("entity", []) if workload_of(str(e)) == workload}
            total = max(len(pods), len(members))
            entity = t("cards.pods", lang, workload=workload, count=len(members), total=total)
        rows.append(
            {
                "rank": str(rank),
                "entity": entity,
                "metric": metric_label(metric, lang),
                "onset": view.when(min(m.onset for m in members), lang),
                "change": f"{format_value(first.baseline, metric, lang)} → "
                f"{format_value(first.peak, metric, lang)}",
                "score": round(max(m.score for m in members), 2),
            }
        )
    return rows


def _candidates_table(view: RcaView, candidates: Sequence[Candidate], lang: str) -> Element:
    rows = _rows(view, candidates, lang)
    return table(
        [
            ("rank", "#", "text"),
            ("entity", t("rca.col.entity", lang), "text"),
            ("metric", t("rca.col.metric", lang), "text"),
            ("onset", t("rca.col.onset", lang), "text"),
            ("change", t("rca.col.change", lang), "text"),
            ("score", t("rca.col.score", lang), "number"),
        ],
        rows,
        page_size=5,
    )


def _evidence(view: RcaView, candidates: Sequence[Candidate], lang: str) -> str:
    return "\n".join(
        f"- **{escape_markdown(c.entity)}**: "
        + "; ".join(
            f"{escape_markdown(metric_label(e.metric, lang))} "
            f"{format_value(e.baseline, e.metric, lang)} → {format_value(e.peak, e.metric, lang)}"
            f" @ {view.when(e.onset, lang)}"
            for e in c.evidence[:4]
        )
        for c in candidates[:5]
        if c.evidence
    )


def _buttons(view: RcaView, lang: str) -> Element:
    buttons = []
    top = view.result.top
    if top is not None:
        target = {
            "action": "diagnose",
            "namespace": view.namespace,
            "deployment": workload_of(top.entity),
        }
        buttons.append(button(t("rca.button.diagnose", lang), target, kind="primary"))
        question = t("rca.ask_question", lang, metric=top.metric, entity=top.entity)
    else:
        question = t("rca.ask_question_none", lang, service=view.service)
    buttons.append(button(t("rca.button.ask", lang), {"action": "ask", "question": question}))
    return actions(buttons)


def rca_card(view: RcaView, lang: str) -> Card:
    verdict, severity = _verdict(view, lang)
    elements: list[Element] = [markdown(verdict)]
    top = view.result.top
    if top is not None:
        metric = escape_markdown(metric_label(top.metric, lang))
        explained = change_verdict(top, metric, lang, lambda at: view.when(at, lang))
        if explained:
            elements.append(markdown(explained))
    candidates = [c for c in view.result.candidates if c.score > 0]  # no quiet fillers
    if candidates:
        elements.append(_candidates_table(view, candidates, lang))
        evidence = _evidence(view, candidates, lang)
        if evidence:
            elements.append(panel(t("rca.evidence", lang), [markdown(evidence)]))
        elements.append(chart(chart_spec(view.frame, candidates, lang, view.timezone)))
        elements.append(markdown(_legend(candidates, lang), text_size="notation"))
    if view.result.changes:
        changed = change_lines(view.result.changes, lang, lambda at: view.when(at, lang))
        elements.append(panel(t("changes.title", lang), [markdown("\n".join(changed))]))
    if view.events:
        lines = [
            f"- {cut_bytes(escape_markdown(line), EVENT_BYTES)}"
            for line in view.events[:MAX_EVENTS]
        ]
        elements.append(panel(t("rca.events", lang), [markdown("\n".join(lines))]))
    if view.narrative:
        narrative = cut_bytes(escape_markdown(view.narrative), NARRATIVE_BYTES)
        elements.append(panel(t("narrative.title", lang), [markdown(narrative)], expanded=True))
    elements.append(_buttons(view, lang))
    links = link_row(view.links, lang)
    if links:
        elements.append(links)
    if view.signals:
        elements.append(markdown(escape_markdown(view.signals), text_size="notation"))
    if view.footer:
        footer = escape_markdown(cut_bytes(view.footer, FOOTER_BYTES), keep_mentions=True)
        elements.append(markdown(footer, text_size="notation"))
    subtitle = t("rca.subtitle", lang, namespace=view.namespace, window=view.window)
    return card(
        t("rca.title", lang, service=view.service), elements, severity=severity, subtitle=subtitle
    )
