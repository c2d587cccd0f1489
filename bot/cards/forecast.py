"""The /forecast card: history and forecast band chart, peak, replicas, Apply scaling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from bot.cards.card import Card, card
from bot.cards.elements import Element, actions, button, chart, markdown
from bot.cards.escape import escape_markdown
from messages import t

__all__ = ["ForecastView", "forecast_card", "forecast_chart_spec", "forecast_summary"]

HISTORY_POINTS = 60
FUTURE_POINTS = 48


@dataclass(frozen=True)
class ForecastView:
    service: str
    namespace: str
    deployment: str
    history: pd.Series  # request rate, indexed by UTC timestamps
    future: pd.DatetimeIndex
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    peak_time: datetime
    peak_qps: float
    recommended: int | None
    reason: str | None
    confidence: float
    current: int | None


def _num(value: float) -> float:
    return round(float(value), 3)


def forecast_chart_spec(
    view: ForecastView,
    lang: str,
    timezone: str,
    history_points: int = HISTORY_POINTS,
    future_points: int = FUTURE_POINTS,
) -> dict[str, Any]:
    """VChart ``common`` spec: the recent history and forecast as lines, the interval as
    a range area (the forecast thinned to ``future_points``, keeping the last step)."""
    tz = ZoneInfo(timezone)
    stride = max(1, -(-len(view.future) // future_points))
    keep = list(range(len(view.future) - 1, -1, -stride))[::-1]
    future = [view.future[i] for i in keep]
    mean, lower, upper = view.mean[keep], view.lower[keep], view.upper[keep]

    def label(when: pd.Timestamp) -> str:
        return str(when.tz_convert(tz).strftime("%m-%d %H:%M"))

    recent = view.history.iloc[-history_points:]
    lines = [
        {"time": label(ts), "qps": _num(v), "series": t("forecast.chart.history", lang)}
        for ts, v in recent.items()
    ]
    lines += [
        {"time": label(ts), "qps": _num(v), "series": t("forecast.chart.forecast", lang)}
        for ts, v in zip(future, mean, strict=True)
    ]
    band = [
        {"time": label(ts), "lower": _num(lo), "upper": _num(hi)}
        for ts, lo, hi in zip(future, lower, upper, strict=True)
    ]
    return {
        "type": "common",
        "data": [{"id": "lines", "values": lines}, {"id": "band", "values": band}],
        "series": [
            {
                "type": "rangeArea",
                "dataId": "band",
                "xField": "time",
                "yField": ["lower", "upper"],
                "area": {"style": {"fillOpacity": 0.2}},
            },
            {
                "type": "line",
                "dataId": "lines",
                "xField": "time",
                "yField": "qps",
                "seriesField": "series",
            },
        ],
        "axes": [
            {"orient": "left", "title": {"visible": True, "text": t("forecast.chart.axis", lang)}},
            {"orient": "bottom", "type": "band"},
        ],
        "legends": {"visible": True, "orient": "bottom"},
    }


def forecast_summary(view: ForecastView, lang: str, timezone: str) -> str:
    """Peak and replica lines, shared by the forecast card and the digest."""
    peak_at = view.peak_time.astimezone(ZoneInfo(timezone)).strftime("%m-%d %H:%M")
    current = str(view.current) if view.current is not None else t("forecast.unknown", lang)
    if view.recommended is None:
        replicas = t("forecast.replicas.unknown", lang, current=current)
    else:
        why = t(f"forecast.reason.{view.reason}", lang) if view.reason else ""
        replicas = t(
            "forecast.replicas", lang, recommended=view.recommended, current=current, why=why
        )
    peak = t(
        "forecast.peak",
        lang,
        qps=f"{view.peak_qps:.1f}",
        at=peak_at,
        confidence=f"{view.confidence:.0%}",
    )
    return escape_markdown(f"{peak}\n{replicas}")


def scaling_button(view: ForecastView, lang: str) -> Element | None:
    if view.recommended is None or view.recommended == view.current:
        return None
    value = {
        "action": "propose_scaling",
        "namespace": view.namespace,
        "deployment": view.deployment,
        "replicas": view.recommended,
    }
    return button(t("forecast.button.apply", lang), value, kind="primary")


def forecast_card(view: ForecastView, lang: str, horizon: str, timezone: str) -> Card:
    elements: list[Element] = [
        markdown(forecast_summary(view, lang, timezone)),
        chart(forecast_chart_spec(view, lang, timezone)),
    ]
    apply = scaling_button(view, lang)
    if apply is not None:
        elements.append(actions([apply]))
    subtitle = t("forecast.subtitle", lang, namespace=view.namespace, horizon=horizon)
    return card(
        t("forecast.title", lang, service=view.service),
        elements,
        severity="info",
        subtitle=subtitle,
    )
