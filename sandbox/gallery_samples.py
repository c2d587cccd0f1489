"""Every card builder of ``bot.cards`` fed realistic sample data: what ``/sandbox/gallery``
shows, one entry per builder (and state), in either language.

The samples tell one story: ``ledger`` (namespace ``payments``) is CPU-starved after a
rollout, ``payments`` slows down, the bot finds it, proposes a higher CPU limit, someone
approves, the rollout succeeds and Undo is offered. Texts that skills take from the
catalogue are taken from it here too, so both languages read as in chat.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from analysis.evidence import Candidate, Change, Evidence, RcaResult
from bot.cards import answer, audit, fix, help, notices
from bot.cards.alert import AlertView, Anomaly, alert_card, anomaly_card
from bot.cards.card import Card
from bot.cards.clusters import ClusterRow, clusters_card
from bot.cards.digest import DigestEntry, digest_card, digest_cards
from bot.cards.fanout import ClusterSection, fanout_card
from bot.cards.fitting import fallback_card
from bot.cards.forecast import ForecastView, forecast_card
from bot.cards.incident_stats import TeamResponse, incident_stats_card
from bot.cards.incidents import (
    AlertRow,
    SilenceRow,
    TimelineRow,
    alert_line,
    alerts_card,
    silences_card,
    timeline_card,
)
from bot.cards.links import grafana_url, prometheus_graph_url, silence_url
from bot.cards.logs import ShownLine, logs_card
from bot.cards.oncall import ChangeRow, oncall_card
from bot.cards.rca import RcaView, rca_card
from bot.cards.setup import setup_card
from bot.cards.survey import ObjectLine, details_button, object_line, survey_card
from bot.cards.warroom import IncidentView, incident_card
from bot.cards.whoami import whoami_card
from bot.doctor.result import Check
from bot.texts.cluster import finding_detail, finding_title, operation_text, outcome_text
from cluster.finding import Finding
from cluster.plans import PatchResources
from knowledge.answer import Citation
from knowledge.index.protocol import Hit
from messages import t

__all__ = ["GalleryCard", "NOW", "TIMEZONE", "gallery_cards"]

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # a fixed moment: the gallery reads the same
TIMEZONE = "Asia/Shanghai"
NAMESPACE = "payments"
PODS = {
    "ledger": ("ledger-ad3f8970d4-s6drs",),
    "payments": ("payments-7352fe5d9c-pcz4w", "payments-7352fe5d9c-rkg2h"),
}
USER = "ou_5f2c9a7e0d41b6c3"
GRAFANA = "https://grafana.example.com"
PROMETHEUS = "https://prometheus.example.com"
ALERTMANAGER = "https://alertmanager.example.com"
CHAT = "oc_8a1d0f3e2b9c4d57"


@dataclass(frozen=True)
class GalleryCard:
    """``builder`` is the builder's dotted name; ``state`` tells several cards of one
    builder apart (``""`` when it has one)."""

    builder: str
    state: str
    card: Card


# -- the incident ---------------------------------------------------------------------------
def _times(minutes: int = 30) -> pd.DatetimeIndex:
    return pd.date_range(NOW - timedelta(minutes=minutes), NOW, freq="15s", tz="UTC")


def _onset() -> pd.Timestamp:
    return pd.Timestamp(NOW - timedelta(minutes=14))


@cache
def _frame() -> pd.DataFrame:
    times = _times()
    rng = np.random.default_rng(7)
    after = np.asarray(times >= _onset(), dtype=float)
    shapes = {
        ("ledger", "cpu_throttled_ratio"): (0.02, 0.7),
        ("ledger", "latency_p99_seconds"): (0.03, 0.9),
        ("payments", "latency_p99_seconds"): (0.12, 1.4),
        ("payments", "error_ratio"): (0.002, 0.05),
    }
    rows = [
        {"timestamp": ts, "entity": pod, "metric": metric, "value": max(0.0, float(v))}
        for (service, metric), (base, peak) in shapes.items()
        for pod in PODS[service]
        for ts, v in zip(
            times,
            base + (peak - base) * after + rng.normal(0, base * 0.08, len(times)),
            strict=True,
        )
    ]
    return pd.DataFrame(rows, columns=["timestamp", "entity", "metric", "value"])


def _rollout() -> Change:
    return Change(
        _onset() - pd.Timedelta(minutes=2),
        "rollout",
        "ledger",
        "deployment/ledger revision 7",
        {
            "image": "ghcr.io/acme/ledger:1.8.0",
            "previous_image": "ghcr.io/acme/ledger:1.7.4",
            "reason": "limits.cpu 200m → 50m",
        },
    )


def _result(verdict: str = "root_cause") -> RcaResult:
    onset = _onset()
    ledger, pay = PODS["ledger"][0], PODS["payments"][0]
    evidence = (
        Evidence("cpu_throttled_ratio", onset, 0.02, 0.71, 0.97),
        Evidence("latency_p99_seconds", onset + pd.Timedelta(minutes=1), 0.03, 0.92, 0.91),
    )
    candidates = (
        Candidate(
            ledger,
            "cpu_throttled_ratio",
            0.93,
            onset,
            0.02,
            0.71,
            "up",
            evidence,
            changes=(_rollout(),),
        ),
        Candidate(
            pay,
            "latency_p99_seconds",
            0.61,
            onset + pd.Timedelta(minutes=2),
            0.12,
            1.41,
            "up",
            (Evidence("latency_p99_seconds", onset, 0.12, 1.41, 0.88),),
        ),
        Candidate(
            pay,
            "error_ratio",
            0.44,
            onset + pd.Timedelta(minutes=3),
            0.002,
            0.05,
            "up",
            (Evidence("error_ratio", onset, 0.002, 0.05, 0.71),),
        ),
    )
    if verdict == "no_anomaly":
        return RcaResult((), None, "no_anomaly")
    return RcaResult(candidates, onset, verdict, (_rollout(),))  # type: ignore[arg-type]


def _rca(lang: str, verdict: str) -> Card:
    frame = _frame()
    events = [
        "Warning  Unhealthy  pod/ledger-ad3f8970d4-s6drs  Readiness probe failed: "
        "context deadline exceeded",
        "Normal   ScalingReplicaSet  deployment/ledger  Scaled up replica set "
        "ledger-ad3f8970d4 to 1",
    ]
    footer = t(
        "rca.footer", lang, series=frame.groupby(["entity", "metric"]).ngroups, seconds="1.4"
    )
    view = RcaView(
        "payments",
        NAMESPACE,
        "30m",
        _result(verdict),
        frame if verdict != "no_anomaly" else frame.iloc[0:0],
        events,
        footer,
        timezone=TIMEZONE,
        now=NOW,
        links=_links(
            NOW - timedelta(minutes=30),
            NOW,
            ""  # no candidate: no query to graph
            if verdict == "no_anomaly"
            else "sum by (pod) (rate(container_cpu_cfs_"
            'throttled_periods_total{namespace="payments", pod="ledger-ad3f8970d4-s6drs"}[2m]))',
        ),
    )
    return rca_card(view, lang)


def _links(
    start: datetime, end: datetime, expr: str, labels: dict[str, str] | None = None
) -> dict[str, str]:
    """The link buttons' URLs, as the bot builds them for example.com hosts."""
    variables = {"namespace": NAMESPACE, "service": "payments"}
    found = {
        "grafana": grafana_url(GRAFANA, "payments-overview", start, end, variables),
        "prometheus": prometheus_graph_url(PROMETHEUS, expr, start, end),
        "silence": silence_url(ALERTMANAGER, labels or {}),
    }
    return {kind: url for kind, url in found.items() if url}


# -- forecast and digest --------------------------------------------------------------------
@cache
def _forecast() -> ForecastView:
    from skills.service_forecast import plan_forecast  # the skill's own planner: real numbers

    times = pd.date_range(NOW - timedelta(days=7), NOW, freq="30min", tz="UTC")
    seconds = times.asi8 / 1e9
    daily = 1 + 0.45 * np.sin(2 * np.pi * (seconds / 86400 - 0.3))
    weekly = 1 - 0.2 * (times.day_of_week >= 5)
    noise = np.random.default_rng(11).normal(0, 4, len(times))
    qps = pd.Series(120 * daily * weekly + noise, index=times)
    view: ForecastView = plan_forecast(
        qps,
        timedelta(days=1),
        service="payments",
        namespace=NAMESPACE,
        deployment="payments",
        capacity=45.0,
        current=2,
    )
    return view


def _anomalies() -> list[Anomaly]:
    at = NOW - timedelta(minutes=14)
    return [
        Anomaly("payments", PODS["ledger"][0], "cpu_throttled_ratio", at, 0.71, 0.97),
        Anomaly("payments", PODS["payments"][0], "latency_p99_seconds", at, 1.41, 0.88),
    ]


def _digest_entries() -> list[DigestEntry]:
    return [
        DigestEntry("payments", _forecast(), anomalies=_anomalies()),
        DigestEntry("storefront", error="Prometheus: no data: no series for storefront"),
    ]


# -- alerts ---------------------------------------------------------------------------------
def _alert(status: str) -> AlertView:
    start = int((NOW - timedelta(minutes=30)).timestamp())
    chart = [
        {
            "t": start + 60 * i,
            "v": round(0.12 + (1.3 if i >= 16 else 0.0) + 0.02 * (i % 3), 3),
            "s": pod,
        }
        for pod in PODS["payments"]
        for i in range(31)
    ]
    started = (NOW - timedelta(minutes=13)).isoformat()
    labels = {"namespace": NAMESPACE, "service": "payments", "team": "checkout"}
    expr = (
        "histogram_quantile(0.99, sum by (le, pod) (rate("
        'http_request_duration_seconds_bucket{namespace="payments"}[2m]))) > 1'
    )
    silenced = {"alertname": "PaymentsLatencyHigh", **labels} if status == "firing" else None
    return AlertView(
        key="a1b2c3d4",
        status=status,
        alertname="PaymentsLatencyHigh",
        severity="critical",
        labels=labels,
        annotations={
            "summary": "p99 latency of payments above 1 s for 5 minutes",
            "runbook_url": "https://runbooks.example.com/payments/latency",
        },
        alerts=[
            {"status": status, "detail": f"pod={pod}", "starts": started}
            for pod in PODS["payments"]
        ],
        service="payments",
        namespace=NAMESPACE,
        expr=expr,
        chart=chart,
        threshold=1.0,
        acked_by=USER if status == "resolved" else None,
        can_silence=status == "firing",
        links=_links(NOW - timedelta(minutes=43), NOW, expr, silenced),
    )


# -- fixes ----------------------------------------------------------------------------------
def _findings(lang: str) -> tuple[fix.FindingText, ...]:
    found = [
        Finding(
            f"{NAMESPACE}/Deployment/ledger",
            "cpu_throttled",
            {"cpu_limit": "50m", "cpu_usage": "49m", "percent": "98"},
            "warning",
            "ledger",
        ),
        Finding(
            f"{NAMESPACE}/Deployment/ledger",
            "replicas_unavailable",
            {"desired": "1", "ready": "0", "available": "0", "updated": "1"},
            "critical",
        ),
    ]
    return tuple(
        fix.FindingText(f.severity, finding_title(f, lang), finding_detail(f, lang)) for f in found
    )


def _plan(lang: str, kind: str = "fix") -> fix.PlanView:
    operation = operation_text(PatchResources("ledger", limits={"cpu": "200m"}), lang)
    diff = (
        "--- ledger (current)",
        "+++ ledger (proposed)",
        "@@ spec.template.spec.containers[ledger].resources.limits @@",
        "-  cpu: 50m",
        "+  cpu: 200m",
    )
    return fix.PlanView(
        "ap_7f3c21",
        kind,
        NAMESPACE,
        "ledger",
        (operation,),
        diff,
        _findings(lang),
        expires=(NOW + timedelta(minutes=30)).astimezone(_zone()).strftime("%m-%d %H:%M"),
        source_plan="ap_6e0b94" if kind == "undo" else "",
    )


def _zone() -> ZoneInfo:
    return ZoneInfo(TIMEZONE)


def _who() -> str:
    return f"<at id={USER}></at>"


def _fixes(lang: str) -> Iterator[tuple[str, str, Card]]:
    findings = _findings(lang)
    workloads = [
        fix.WorkloadFindings(NAMESPACE, "ledger", findings, fixable=True),
        fix.WorkloadFindings(NAMESPACE, "payments", ()),
    ]
    title = t("diagnose.title.namespace", lang, namespace=NAMESPACE)
    footer = t("diagnose.footer", lang, count=len(workloads), seconds="0.3")
    yield "fix", "diagnosis_card", fix.diagnosis_card(title, workloads, lang, footer=footer)
    plan, who = _plan(lang), _who()
    yield "fix", "approval_card", fix.approval_card(plan, lang)
    yield "fix", "approval_card:undo", fix.approval_card(_plan(lang, "undo"), lang)
    yield "fix", "no_fix_card", fix.no_fix_card(NAMESPACE, "payments", (), lang)
    yield "fix", "applying_card", fix.applying_card(plan, who, lang)
    ready = outcome_text("ready", "ledger", 8, "", lang)
    yield "fix", "applied_card", fix.applied_card(plan, who, "ready", ready, lang)
    failed = outcome_text("timeout", "ledger", 8, "1 of 1 updated replicas are not ready", lang)
    yield "fix", "not_applied_card", fix.not_applied_card(plan, failed, lang)
    lost = t(
        "fix.interrupted.body",
        lang,
        who=who,
        plan_id=plan.plan_id,
        minutes=15,
        namespace=NAMESPACE,
        deployment="ledger",
    )
    yield "fix", "interrupted_card", fix.interrupted_card(plan, lost, lang)
    yield (
        "fix",
        "rejected_card",
        fix.rejected_card(plan, who, t("fix.rejected.no_reason", lang), lang),
    )


def _audit_rows() -> list[audit.AuditRow]:
    zone = _zone()
    at = [
        (NOW - timedelta(minutes=m)).astimezone(zone).strftime("%m-%d %H:%M:%S") for m in (9, 7, 6)
    ]
    return [
        audit.AuditRow(at[0], USER, "propose_fix", "pending", "ap_7f3c21"),
        audit.AuditRow(at[1], USER, "approve", "ok", "ap_7f3c21"),
        audit.AuditRow(at[2], USER, "apply", "ready", "ap_7f3c21 ledger revision 8"),
    ]


# -- knowledge ------------------------------------------------------------------------------
def _answer(lang: str) -> answer.AnswerView:
    passages = [
        Hit(
            "CrashLoopBackOff",
            "knowledge/docs/runbooks/crashloop.md",
            "Check the previous container's logs",
            "Run `kubectl logs <pod> --previous` to read why the last container exited; "
            "an exit code 137 means it was OOM-killed.",
            0.82,
        ),
        Hit(
            "Probes",
            "knowledge/docs/runbooks/probes.md",
            "Liveness probes on slow starters",
            "A liveness probe without initialDelaySeconds restarts slow containers in a loop.",
            0.64,
        ),
    ]
    citations = [Citation(i + 1, p.title, p.source, p.section) for i, p in enumerate(passages)]
    question = t("sandbox.gallery.question", lang)
    text = t("sandbox.gallery.answer", lang)
    return answer.AnswerView(question, text, citations, passages, suggestions=[question])


def _doctor_checks() -> list[Check]:
    return [
        Check.ok("feishu.credentials", "tenant token issued"),
        Check.ok("prometheus.signals.payments", "6 of 6 signals answer"),
        Check(
            "kubernetes.fix.payments",
            "warn",
            "cannot patch deployments.apps in payments",
            "kubectl apply -k deploy/kubernetes/fixes/payments",
        ),
    ]


# -- the gallery ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Team:
    team: str
    current: str
    next: str
    handover: datetime


def _incidents(lang: str) -> Iterator[tuple[str, str, Card]]:
    """On-call, firing alerts, silences and an incident's timeline."""
    started = NOW - timedelta(minutes=12)
    teams = [_Team("payments", "ou_alice", "ou_bob", NOW + timedelta(hours=20))]
    swap = ChangeRow("payments", "swap", ("ou_alice", "ou_bob"), NOW + timedelta(days=2), USER)
    yield "oncall", "oncall_card", oncall_card(teams, [swap], lang, TIMEZONE)
    alerts = [
        AlertRow("LedgerLatencyHigh", f"{NAMESPACE} / ledger", "critical", started, None, USER),
        AlertRow(
            "PaymentsErrors", f"{NAMESPACE} / payments", "warning", started,
            NOW + timedelta(hours=2), None,
        ),
    ]  # fmt: skip
    yield "incidents", "alerts_card", alerts_card(alerts, "payments", lang, TIMEZONE)
    silence = SilenceRow(
        "0b7e4c52-2f1a-4c1e-9a57-6f3d2b1c0a99",
        '{alertname="PaymentsErrors", namespace="payments"}',
        NOW + timedelta(hours=2),
        "cloudops-bot",
        "ou_alice via Feishu",
    )
    yield "incidents", "silences_card", silences_card([silence], lang, TIMEZONE)
    events = [
        TimelineRow(started, "fired", "alertmanager", "LedgerLatencyHigh"),
        TimelineRow(started + timedelta(minutes=5), "escalated", "cloudops-bot", "urgent_app"),
        TimelineRow(started + timedelta(minutes=7), "claimed", "ou_alice", ""),
        TimelineRow(started + timedelta(minutes=11), "resolved", "alertmanager", ""),
    ]
    yield (
        "incidents",
        "timeline_card",
        timeline_card("LedgerLatencyHigh", "g1", events, lang, TIMEZONE),
    )
    incident = IncidentView(
        7, "LedgerLatencyHigh", 1, "investigating", USER, started,
        "ou_alice", None, "LedgerLatencyHigh", ("ou_alice", "ou_bob", USER),
    )  # fmt: skip
    yield "warroom", "incident_card", incident_card(incident, lang, TIMEZONE)
    response = [
        TeamResponse("payments", 6, 6, 5, 4 * 60 + 30, 38 * 60),
        TeamResponse("storefront", 3, 2, 3, 11 * 60, 2 * 3600 + 5 * 60),
        TeamResponse("none", 1, 0, 1, None, 25 * 60),
    ]
    yield "incident_stats", "incident_stats_card", incident_stats_card(response, "7d", lang)


def _fanouts(objects: list[ObjectLine], lang: str) -> Iterator[tuple[str, str, Card]]:
    """``/diagnose --clusters all`` and ``/alerts --clusters all``: a section per cluster,
    a line for the one that did not answer."""
    east = ClusterSection(
        "prod-east",
        t("diagnose.fanout.troubled", lang, troubled=len(objects), objects=14),
        lines=[object_line(item, lang, False) for item in objects],
        buttons=[details_button(item, lang, cluster="prod-east") for item in objects],
        severity="critical",
    )
    north = ClusterSection("prod-north", t("diagnose.survey.healthy", lang, objects=9))
    west = ClusterSection("prod-west", t("fanout.timed_out", lang, seconds="8"), answered=False)
    title = t("diagnose.title.clusters", lang, namespace=NAMESPACE, count=3)
    footer = t("diagnose.fanout.footer", lang, clusters=3, seconds="8.0")
    yield "fanout", "fanout_card", fanout_card(title, [east, north, west], lang, footer=footer)
    started = NOW - timedelta(minutes=12)
    row = AlertRow("LedgerLatencyHigh", f"{NAMESPACE} / ledger", "critical", started, None, USER)
    firing = ClusterSection(
        "prod-east",
        t("alerts.fanout.count", lang, count=1),
        lines=[f"- {alert_line(row, lang, ZoneInfo(TIMEZONE))}"],
        severity="warning",
    )
    down = t("fanout.unreachable", lang, cause="Connection refused")
    sections = [firing, ClusterSection("prod-west", down, answered=False)]
    title = t("alerts.fanout.title", lang, count=1, clusters=2)
    yield "fanout", "fanout_card:alerts", fanout_card(title, sections, lang)


def _cluster_views(lang: str) -> Iterator[tuple[str, str, Card]]:
    """The namespace survey and a log tail."""
    objects = [
        ObjectLine(NAMESPACE, "Service", "orders", "critical",
                   t("gallery.sample.selector", lang), 1),
        ObjectLine(NAMESPACE, "Deployment", "ledger", "warning",
                   t("gallery.sample.throttled", lang), 2),
        ObjectLine("", "Node", "node-2", "info", t("gallery.sample.cordoned", lang), 1),
    ]  # fmt: skip
    title = t("diagnose.title.namespace", lang, namespace=NAMESPACE)
    yield "survey", "survey_card", survey_card(title, objects, lang)
    yield from _fanouts(objects, lang)
    important = [
        ShownLine("ERROR ledger: connection refused to postgres:5432", 14, "refused"),
        ShownLine("java.lang.OutOfMemoryError: Java heap space", 1, "oom"),
    ]
    tail = [ShownLine("INFO ledger: retrying in 5s", 3, "info")]
    title = t("logs.title", lang, namespace=NAMESPACE, workload="ledger")
    yield "logs", "logs_card", logs_card(title, important, tail, lang)


def _all(lang: str) -> Iterator[tuple[str, str, Card]]:
    from bot.app.skills import default_registry

    skills = default_registry().visible()
    yield "help", "help_card", help.help_card(skills, lang)
    yield "help", "welcome_card", help.welcome_card(skills, lang, group=True)
    rca_skill = next(skill for skill in skills if skill.name == "rca")
    yield "help", "unknown_command_card", help.unknown_command_card("/rcaa", rca_skill, lang)
    yield "rca", "rca_card", _rca(lang, "root_cause")
    yield "rca", "rca_card:no_anomaly", _rca(lang, "no_anomaly")
    yield from _fixes(lang)
    yield "audit", "audit_card", audit.audit_card(_audit_rows(), lang)
    yield "forecast", "forecast_card", forecast_card(_forecast(), lang, "1d", TIMEZONE)
    schedule = "daily 09:00"
    yield "digest", "digest_card", digest_card(_digest_entries(), lang, TIMEZONE, NOW, schedule)
    many = [DigestEntry(f"service-{i:02d}", _forecast()) for i in range(12)]
    pages = digest_cards(many, lang, TIMEZONE, NOW, schedule)
    yield "digest", "digest_cards", pages[-1]
    yield "alert", "alert_card", alert_card(_alert("firing"), lang, TIMEZONE)
    yield "alert", "alert_card:resolved", alert_card(_alert("resolved"), lang, TIMEZONE)
    throttled = (
        "sum by (pod) (rate(container_cpu_cfs_throttled_periods_total"
        '{namespace="payments", pod="ledger-ad3f8970d4-s6drs"}[2m]))'
    )
    scanned = _links(NOW - timedelta(hours=3), NOW, throttled)
    yield (
        "alert",
        "anomaly_card",
        anomaly_card("payments", NAMESPACE, _anomalies(), lang, TIMEZONE, scanned),
    )
    view = _answer(lang)
    yield "answer", "answer_card", answer.answer_card(view, lang)
    yield "answer", "unknown_card", answer.unknown_card(view.question, lang)
    sources = [("Kubernetes: Debug Running Pods", "https://kubernetes.io/docs/tasks/debug/")]
    yield "answer", "web_card", answer.web_card(view.question, view.text, sources, lang)
    yield "answer", "web_unavailable_card", answer.web_unavailable_card(view.question, lang)
    yield "answer", "small_talk_card", answer.small_talk_card("greeting", skills, lang)
    yield from _incidents(lang)
    yield from _cluster_views(lang)
    yield (
        "setup",
        "setup_card",
        setup_card(
            _doctor_checks(),
            ["payments", "storefront"],
            lang,
            NOW.astimezone(_zone()).strftime("%m-%d %H:%M"),
        ),
    )
    yield "whoami", "whoami_card", whoami_card(USER, CHAT, "group", [NAMESPACE], lang)
    yield (
        "clusters",
        "clusters_card",
        clusters_card(
            [
                ClusterRow("prod", "http://prometheus-prod:9090", api=True),
                ClusterRow("staging", "http://prometheus-staging:9090", api=True),
            ],
            "staging",
            True,
            lang,
        ),
    )
    yield (
        "notices",
        "usage_card",
        notices.usage_card(
            lang, t("usage.bad_name", lang, value="Payments!"), t("rca.usage", lang)
        ),
    )
    yield (
        "notices",
        "error_card",
        notices.error_card(lang, "Prometheus", t("sandbox.gallery.prometheus_down", lang)),
    )
    yield (
        "notices",
        "working_card",
        notices.working_card(
            lang,
            t("rca.title", lang, service="payments"),
            t("rca.working", lang, service="payments", window="30m"),
        ),
    )
    yield (
        "notices",
        "notice_card",
        notices.notice_card(t("setup.refused_title", lang), t("setup.refused", lang), "warning"),
    )
    yield "notices", "internal_error_card", notices.internal_error_card(lang, "/forecast")
    yield "fitting", "fallback_card", fallback_card(_rca(lang, "root_cause"), lang)


def gallery_cards(lang: str) -> list[GalleryCard]:
    """One entry per builder and state, in gallery order."""
    return [
        GalleryCard(f"bot.cards.{module}.{name.partition(':')[0]}", name.partition(":")[2], built)
        for module, name, built in _all(lang)
    ]
