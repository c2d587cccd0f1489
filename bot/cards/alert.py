"""Alert cards: an Alertmanager group (firing/resolved) and an anomaly-scan finding."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.cards.card import Card, Severity, card
from bot.cards.chart_data import MAX_POINTS, bucket_series
from bot.cards.cutting import cut_bytes, rows_within
from bot.cards.elements import Element, actions, button, chart, markdown, plain, table
from bot.cards.escape import escape_markdown
from bot.cards.link_row import link_row
from bot.cards.warroom import chat_link
from messages import t

__all__ = [
    "AlertView",
    "Anomaly",
    "SILENCE_CHOICES",
    "alert_card",
    "anomaly_card",
    "escalation_line",
    "matcher_preview",
    "severity_of",
]

SEVERITIES: dict[str, Severity] = {
    "critical": "critical",
    "page": "critical",
    "error": "error",
    "high": "error",
    "warning": "warning",
    "warn": "warning",
}
MAX_ALERT_ROWS = 10
# Shown in the title and subtitle, so not repeated in the label table.
HEADER_LABELS = frozenset({"alertname", "namespace", "service", "severity"})
MAX_CHART_SERIES = 3
SUMMARY_BYTES = 600
DESCRIPTION_BYTES = 3000
LEGEND_BYTES = 160
LABEL_BYTES = 240  # a label name or value, an alert's detail
ROWS_BYTES = 16_000  # of one table's rows
LABEL_ROWS_BYTES = 8_000
SILENCE_CHOICES = ("30m", "2h", "1d")  # the durations the Silence buttons offer


@dataclass
class AlertView:
    """Everything an alert card shows; plain data so it can be stored and rebuilt."""

    key: str
    status: str  # "firing" | "resolved"
    alertname: str
    severity: str
    labels: dict[str, str]
    annotations: dict[str, str]
    alerts: list[dict[str, str]]  # status, detail (labels not shared), starts (ISO)
    service: str | None = None
    namespace: str | None = None
    expr: str | None = None
    chart: list[dict[str, Any]] = field(default_factory=list)  # {"t": epoch, "v", "s"}
    threshold: float | None = None
    acked_by: str | None = None
    silenced_by: str | None = None
    silenced_until: str | None = None
    can_silence: bool = False
    truncated: int = 0
    team: str | None = None  # the on-call team of the alert's route
    oncall: str | None = None  # who was on call when it fired (open_id)
    escalation: list[dict[str, str]] = field(default_factory=list)  # steps taken, in order
    incident: int | None = None  # the incident opened from this card (skills.incident)
    war_room: str | None = None  # its war-room group's chat_id
    links: dict[str, str] = field(default_factory=dict)  # grafana / prometheus / silence: URL


@dataclass(frozen=True)
class Anomaly:
    service: str
    entity: str
    metric: str
    at: datetime
    value: float
    score: float


def severity_of(label: str, status: str = "firing") -> Severity:
    if status == "resolved":
        return "ok"
    return SEVERITIES.get(label.lower(), "info")


def _when(iso: str, tz: ZoneInfo) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone(tz).strftime("%m-%d %H:%M:%S")
    except ValueError:
        return iso


def _safe_url(url: str | None) -> str | None:
    if url and url.startswith(("https://", "http://")) and not any(c in url for c in " ()[]<>"):
        return url
    return None


def _chart(view: AlertView, lang: str, timezone: str) -> list[Element]:
    """The alert's expression over time: at most ``MAX_POINTS`` points per series (bucket
    extremes), series named once (``#n``, full names in a legend line when several)."""
    names = list(dict.fromkeys(str(p["s"]) for p in view.chart))[:MAX_CHART_SERIES]
    short = {name: f"#{i}" for i, name in enumerate(names, 1)}
    series = {
        short[name]: (
            [float(p["t"]) for p in view.chart if p["s"] == name],
            [float(p["v"]) for p in view.chart if p["s"] == name],
        )
        for name in names
    }
    bucketed = bucket_series(series, timezone, MAX_POINTS)
    values = [
        {"t": label, "v": round(v, 4), "s": name}
        for name, column in bucketed.values.items()
        for label, v in zip(bucketed.labels, column, strict=True)
        if v is not None
    ]
    spec: dict[str, Any] = {
        "type": "line",
        "data": {"values": values},
        "xField": "t",
        "yField": "v",
        "seriesField": "s",
        "legends": {"visible": len(names) > 1, "orient": "bottom"},
        "axes": [{"orient": "left"}, {"orient": "bottom", "type": "band"}],
    }
    if view.threshold is not None:
        label = {"visible": True, "text": t("alert.chart.threshold", lang)}
        spec["markLine"] = [{"y": view.threshold, "label": label}]
    elements = [chart(spec)]
    if len(names) > 1:
        legend = "  ".join(
            f"**{short[n]}** {escape_markdown(cut_bytes(n, LEGEND_BYTES))}" for n in names
        )
        elements.append(markdown(legend, text_size="notation"))
    return elements


def matcher_preview(labels: dict[str, str], limit: int = 400) -> str:
    """The silence's matchers as Alertmanager shows them: ``{alertname="X", ...}``."""
    text = ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return "{" + (text if len(text) <= limit else text[: limit - 1] + "…") + "}"


def _who(open_ids: str) -> str:
    return " ".join(f"<at id={i}></at>" for i in open_ids.split(",") if i) or "—"


def escalation_line(step: dict[str, str], lang: str, tz: ZoneInfo) -> str:
    """One escalation step as the card shows it."""
    via = t(f"alert.escalation.via.{step.get('via', 'urgent_app')}", lang)
    when = _when(step.get("at", ""), tz)
    result = step.get("result", "sent")
    return t(
        f"alert.escalation.{result}",
        lang,
        at=when,
        via=via,
        who=_who(step.get("to", "")),
        scope=step.get("scope", ""),
        error=step.get("error", ""),
    )


def _silence_form(view: AlertView, lang: str) -> Element:
    """Silence for a preset duration or one the clicker types (``45m``, ``4h``, ``3d``).

    Every silence button is a submit button of this form, because Feishu documents the
    ``confirm`` dialog for form submit buttons only: silencing is two deliberate steps on
    every client."""
    preview = matcher_preview(view.labels)
    title = t("alert.silence.confirm_title", lang)
    presets = []
    for choice in SILENCE_CHOICES:
        preset = button(
            t("alert.button.silence_for", lang, duration=choice),
            {"action": "alert_silence", "key": view.key, "for": choice},
            confirm=(title, t("alert.silence.confirm", lang, duration=choice, matchers=preview)),
        )
        preset.update(name=f"silence_{choice}", form_action_type="submit")
        presets.append(preset)
    duration: Element = {
        "tag": "input",
        "name": "duration",
        "label": plain(t("alert.silence.custom_label", lang)),
        "placeholder": plain(t("alert.silence.custom_placeholder", lang)),
        "max_length": 8,
    }
    confirm = t("alert.silence.confirm", lang, duration="…", matchers=preview)
    submit = button(
        t("alert.button.silence_custom", lang),
        {"action": "alert_silence", "key": view.key, "for": "custom"},
        confirm=(title, confirm),
    )
    submit.update(name="silence", form_action_type="submit")
    return {
        "tag": "form",
        "name": f"silence_{view.key}",
        "elements": [actions(presets), duration, submit],
    }


def _buttons(view: AlertView, lang: str) -> list[Element]:
    buttons = []
    if view.service:
        rca = {"action": "alert_rca", "service": view.service, "namespace": view.namespace or ""}
        buttons.append(button(t("alert.button.rca", lang), rca, kind="primary"))
    if view.status == "firing" and not view.acked_by:
        buttons.append(
            button(t("alert.button.ack", lang), {"action": "alert_ack", "key": view.key})
        )
    if view.status == "firing" and not view.war_room:
        war_room = {"action": "incident_start", "key": view.key}
        buttons.append(button(t("alert.button.war_room", lang), war_room, kind="danger"))
    return buttons


def _severity_text(severity: str, lang: str) -> str:
    """A known severity in words (``critical`` → 严重); an unknown label as it is."""
    known = SEVERITIES.get(severity.lower())
    return t(f"alert.severity.{known}", lang) if known else severity


def alert_card(view: AlertView, lang: str, timezone: str) -> Card:
    tz = ZoneInfo(timezone)
    elements: list[Element] = []
    summary = view.annotations.get("summary") or view.alertname
    lines = [f"**{escape_markdown(cut_bytes(summary, SUMMARY_BYTES))}**"]
    if view.annotations.get("description"):
        description = view.annotations["description"]
        lines.append(escape_markdown(cut_bytes(description, DESCRIPTION_BYTES)))
    runbook = _safe_url(view.annotations.get("runbook_url"))
    if runbook:
        lines.append(t("alert.runbook", lang, url=runbook))
    if view.oncall and view.team:
        lines.append(t("alert.oncall", lang, user=view.oncall, team=view.team))
    lines.extend(escalation_line(step, lang, tz) for step in view.escalation[-8:])
    if view.acked_by:
        lines.append(t("alert.acked", lang, user=view.acked_by))
    if view.silenced_by:
        until = _when(view.silenced_until or "", tz)
        lines.append(t("alert.silenced", lang, user=view.silenced_by, until=until))
    if view.war_room:
        lines.append(t("alert.war_room", lang, id=view.incident, url=chat_link(view.war_room)))
    elements.append(markdown("\n".join(lines)))
    label_rows = [  # the labels the title and subtitle do not already show
        {"name": cut_bytes(k, LABEL_BYTES), "value": cut_bytes(v, LABEL_BYTES)}
        for k, v in sorted(view.labels.items())
        if k not in HEADER_LABELS and v != view.service
    ]
    if label_rows:
        cols = [
            ("name", t("alert.col.label", lang), "text"),
            ("value", t("alert.col.value", lang), "text"),
        ]
        shown = rows_within(label_rows, LABEL_ROWS_BYTES)
        elements.append(table(cols, shown, page_size=5))
        if len(shown) < len(label_rows):
            left = t("cards.rows_more", lang, count=len(label_rows) - len(shown))
            elements.append(markdown(left, text_size="notation"))
    if view.alerts:
        rows = [
            {
                "detail": cut_bytes(a["detail"], LABEL_BYTES) or "—",
                "status": t(f"alert.status.{a['status']}", lang)
                if a["status"] in ("firing", "resolved")
                else a["status"],
                "starts": _when(a["starts"], tz),
            }
            for a in view.alerts[:MAX_ALERT_ROWS]
        ]
        cols = [
            ("detail", t("alert.col.alert", lang), "text"),
            ("status", t("alert.col.status", lang), "text"),
            ("starts", t("alert.col.starts", lang), "text"),
        ]
        elements.append(table(cols, rows, page_size=5))
    more = len(view.alerts) - MAX_ALERT_ROWS + view.truncated
    if more > 0:
        elements.append(markdown(t("alert.more", lang, count=more), text_size="notation"))
    if view.chart:
        elements += _chart(view, lang, timezone)
    elif view.expr:
        elements.append(markdown(t("alert.no_chart", lang), text_size="notation"))
    buttons = _buttons(view, lang)
    if buttons:
        elements.append(actions(buttons))
    links = link_row(view.links, lang)
    if links:
        elements.append(links)
    if view.status == "firing" and view.can_silence and not view.silenced_by:
        elements.append(_silence_form(view, lang))
    state = "alert.title.firing" if view.status == "firing" else "alert.title.resolved"
    parts = (view.namespace, view.service, _severity_text(view.severity, lang))
    subtitle = " · ".join(dict.fromkeys(x for x in parts if x))  # "payments" once, not twice
    return card(
        t(state, lang, alertname=view.alertname, count=len(view.alerts)),
        elements,
        severity=severity_of(view.severity, view.status),
        subtitle=subtitle or None,
    )


def anomaly_card(
    service: str,
    namespace: str,
    anomalies: list[Anomaly],
    lang: str,
    timezone: str,
    links: Mapping[str, str] | None = None,
) -> Card:
    """One card for every new anomaly a scan found in one service; ``links``: kind → URL
    of the link buttons (Grafana, Prometheus)."""
    tz = ZoneInfo(timezone)
    rows = [
        {
            "metric": cut_bytes(a.metric, LABEL_BYTES),
            "entity": cut_bytes(a.entity, LABEL_BYTES),
            "at": a.at.astimezone(tz).strftime("%m-%d %H:%M"),
            "value": f"{a.value:.4g}",
            "score": round(a.score, 2),
        }
        for a in anomalies
    ]
    cols = [
        ("metric", t("alert.col.signal", lang), "text"),
        ("entity", t("alert.col.entity", lang), "text"),
        ("at", t("alert.col.at", lang), "text"),
        ("value", t("alert.col.value", lang), "text"),
        ("score", t("alert.col.score", lang), "number"),
    ]
    rca = {"action": "alert_rca", "service": service, "namespace": namespace}
    shown = rows_within(rows, ROWS_BYTES)
    body = t(
        "scan.body",
        lang,
        service=escape_markdown(cut_bytes(service, LABEL_BYTES)),
        count=len(anomalies),
    )
    elements = [markdown(body), table(cols, shown, page_size=5)]
    if len(shown) < len(rows):
        elements.append(markdown(t("cards.rows_more", lang, count=len(rows) - len(shown))))
    elements.append(actions([button(t("alert.button.rca", lang), rca, kind="primary")]))
    link_buttons = link_row(links or {}, lang)
    if link_buttons:
        elements.append(link_buttons)
    return card(
        t("scan.title", lang, service=service), elements, severity="warning", subtitle=namespace
    )
