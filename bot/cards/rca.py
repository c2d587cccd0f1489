"""The /rca result card: verdict, ranked candidates with evidence, a chart, events, buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.evidence import Candidate, RcaResult
from analysis.workloads import workload_of
from bot.cards.card import Card, Severity, card
from bot.cards.changes import change_lines, change_verdict
from bot.cards.elements import Element, actions, button, chart, markdown, panel, table
from bot.messages import t

__all__ = ["RcaView", "rca_card", "chart_spec"]

MAX_CHART_POINTS = 60
MAX_CHART_SERIES = 3


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
    timezone: str = "UTC"  # where the reader is (settings.runtime.timezone)
    signals: str = ""  # which signals were used and which the service lacks


def _fmt(value: float) -> str:
    if not np.isfinite(value):
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _clock(when: pd.Timestamp | None) -> str:
    return "—" if when is None else when.strftime("%H:%M:%S")


def chart_spec(
    frame: pd.DataFrame, candidates: Sequence[Candidate], lang: str
) -> dict[str, object]:
    """A VChart line spec of the top candidates' main signals, scaled to 0–1, onset marked."""
    values: list[dict[str, object]] = []
    for cand in candidates[:MAX_CHART_SERIES]:
        entity, metric = cand.key
        rows = frame[(frame["entity"] == entity) & (frame["metric"] == metric)]
        rows = rows.sort_values("timestamp")
        if rows.empty:
            continue
        stride = max(1, len(rows) // MAX_CHART_POINTS)
        rows = rows.iloc[::stride]
        series = rows["value"].to_numpy(dtype=float)
        low, high = np.nanmin(series), np.nanmax(series)
        span = high - low if high > low else 1.0
        label = f"{cand.entity} · {cand.metric}"
        for when, value in zip(rows["timestamp"], series, strict=True):
            values.append(
                {
                    "time": when.strftime("%H:%M"),
                    "value": round((value - low) / span, 3),
                    "series": label,
                }
            )
    spec: dict[str, object] = {
        "type": "line",
        "data": {"values": values},
        "xField": "time",
        "yField": "value",
        "seriesField": "series",
        "legends": {"visible": True, "orient": "bottom"},
        "axes": [{"orient": "left", "title": {"visible": True, "text": t("rca.chart.axis", lang)}}],
    }
    top = candidates[0] if candidates else None
    if top is not None and values:
        spec["markLine"] = [
            {
                "x": top.onset.strftime("%H:%M"),
                "label": {"visible": True, "text": t("rca.chart.onset", lang)},
            }
        ]
    return spec


def _verdict(view: RcaView, lang: str) -> tuple[str, Severity]:
    top = view.result.top
    if view.result.verdict == "no_anomaly" or top is None:
        return t("rca.verdict.none", lang, service=view.service, window=view.window), "ok"
    params = dict(
        entity=top.entity,
        metric=top.metric,
        onset=_clock(top.onset),
        baseline=_fmt(top.baseline),
        peak=_fmt(top.peak),
        score=f"{top.score:.2f}",
    )
    if view.result.verdict == "ambiguous":
        return t("rca.verdict.ambiguous", lang, **params), "warning"
    return t("rca.verdict.cause", lang, **params), "critical"


def rca_card(view: RcaView, lang: str) -> Card:
    verdict, severity = _verdict(view, lang)
    elements: list[Element] = [markdown(verdict)]
    top = view.result.top
    explained = None if top is None else change_verdict(top, lang, view.timezone)
    if explained:
        elements.append(markdown(explained))
    candidates = [c for c in view.result.candidates if c.score > 0]  # no quiet fillers
    if candidates:
        rows = [
            {
                "rank": str(i),
                "entity": c.entity,
                "metric": c.metric,
                "onset": _clock(c.onset),
                "change": f"{_fmt(c.baseline)} → {_fmt(c.peak)}",
                "score": round(c.score, 2),
            }
            for i, c in enumerate(candidates, 1)
        ]
        elements.append(
            table(
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
        )
        evidence_lines = [
            f"- **{c.entity}**: "
            + "; ".join(
                f"{e.metric} {_fmt(e.baseline)} → {_fmt(e.peak)} @ {_clock(e.onset)}"
                for e in c.evidence[:4]
            )
            for c in candidates[:5]
            if c.evidence
        ]
        if evidence_lines:
            elements.append(panel(t("rca.evidence", lang), [markdown("\n".join(evidence_lines))]))
        elements.append(chart(chart_spec(view.frame, candidates, lang)))
    if view.result.changes:
        lines = change_lines(view.result.changes, lang, view.timezone)
        elements.append(panel(t("changes.title", lang), [markdown("\n".join(lines))]))
    if view.events:
        elements.append(
            panel(
                t("rca.events", lang),
                [markdown("\n".join(f"- {line}" for line in view.events[:15]))],
            )
        )
    if view.narrative:
        elements.append(
            panel(t("narrative.title", lang), [markdown(view.narrative)], expanded=True)
        )
    buttons = []
    if top is not None:
        buttons.append(
            button(
                t("rca.button.diagnose", lang),
                {
                    "action": "diagnose",
                    "namespace": view.namespace,
                    "deployment": workload_of(top.entity),
                },
                kind="primary",
            )
        )
        question = t("rca.ask_question", lang, metric=top.metric, entity=top.entity)
    else:
        question = t("rca.ask_question_none", lang, service=view.service)
    buttons.append(button(t("rca.button.ask", lang), {"action": "ask", "question": question}))
    elements.append(actions(buttons))
    if view.signals:
        elements.append(markdown(view.signals, text_size="notation"))
    if view.footer:
        elements.append(markdown(view.footer, text_size="notation"))
    subtitle = t("rca.subtitle", lang, namespace=view.namespace, window=view.window)
    return card(
        t("rca.title", lang, service=view.service), elements, severity=severity, subtitle=subtitle
    )
