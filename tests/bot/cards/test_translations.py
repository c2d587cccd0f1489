"""Every card builder, with sample data, reads in one language: in zh-CN no untranslated
catalogue key and no English word outside the allow-list (names, units, code, metric and
service names of the sample data); in en-US no Chinese character."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.evidence import Candidate, Change, Evidence, RcaResult
from bot.app.skills import default_registry
from bot.cards import answer, fix, help, notices
from bot.cards.alert import AlertView, Anomaly, alert_card, anomaly_card
from bot.cards.audit import AuditRow, audit_card
from bot.cards.digest import DigestEntry, digest_cards
from bot.cards.forecast import ForecastView, forecast_card
from bot.cards.rca import RcaView, rca_card
from bot.cards.setup import setup_card
from bot.cards.whoami import whoami_card
from bot.doctor.result import Check
from bot.texts.cluster import impact_text, operation_text
from cluster.plans import FixPlan, RolloutRestart, ScaleReplicas, Target
from knowledge.answer import Citation
from knowledge.index.protocol import Hit
from messages import catalogue, t

Card = dict[str, Any]
NOW = pd.Timestamp("2026-12-03T04:00:00Z").to_pydatetime()
TZ = "Asia/Shanghai"

# Words a Chinese card may show as they are: product and API names, units, Kubernetes
# kinds and states, and the names in the sample data below.
ALLOWED = {
    # the sample data: services, workloads, metric names
    *["payments", "ledger", "nginx", "checkout", "default", "fraud", "web", "api", "db"],
    *["latency_p99_seconds", "cpu_usage_cores", "error_ratio", "request_rate", "ready"],
    # products, protocols and formats
    *["Kubernetes", "Prometheus", "Feishu", "LLM", "AI", "HTTP", "API", "RBAC", "YAML"],
    *["PromQL", "URL", "QPS", "CloudOps"],
    # Kubernetes kinds and states, units
    *["CPU", "Pod", "Pods", "Deployment", "ReplicaSet", "Node", "OOMKilled", "CrashLoopBackOff"],
    *["ms", "MiB", "GiB", "Mi", "Gi", "KB", "MB", "m", "s", "h", "d", "min", "req"],
    # identifiers, configuration keys, file names
    *["ou_alice", "ou_bob", "oc_ops", "p1", "ID", "open_id", "chat_id", "namespaces", "runbook.md"],
    # event, alert and check data of the samples
    *["Warning", "BackOff", "pod", "Error", "HighLatency", "critical", "prometheus"],
}
_CODE = re.compile(r"```.*?```|`[^`]*`", re.DOTALL)
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"<at id=[^>]*></at>|&#\d+;|<[^>]+>")
_COMMAND = re.compile(r"/[a-z]+")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*[A-Za-z0-9_]|[A-Za-z]")
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
_KEY = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)+\b")


def texts(element: Any) -> Iterator[str]:
    """Every text a person sees on the card (not chart data, not button values)."""
    if isinstance(element, dict):
        for key, value in element.items():
            if key in ("value", "behaviors", "chart_spec"):
                continue
            if key in ("content", "display_name", "placeholder", "text") and isinstance(value, str):
                yield value
            else:
                yield from texts(value)
    elif isinstance(element, list):
        for item in element:
            yield from texts(item)


def english_words(text: str) -> set[str]:
    plain = _TAG.sub(" ", _URL.sub(" ", _CODE.sub(" ", text)))
    plain = _COMMAND.sub(" ", plain)
    words = {w for w in _WORD.findall(plain) if not re.search(r"\d", w)}  # ids, versions
    return {w for w in words if len(w) > 1 and w not in ALLOWED and w.lower() not in ALLOWED}


def catalogue_keys(text: str) -> set[str]:
    return {k for k in _KEY.findall(_CODE.sub(" ", text)) if k in catalogue()}


def _forecast() -> ForecastView:
    from skills.service_forecast import plan_forecast

    times = pd.date_range(NOW - timedelta(days=7), periods=300, freq="2025s", tz="UTC")
    qps = 100 + 50 * np.sin(2 * np.pi * (times.asi8 / 1e9) / 86400)
    view: ForecastView = plan_forecast(
        pd.Series(qps, index=times),
        timedelta(days=2),
        service="payments",
        namespace="default",
        deployment="payments",
        capacity=20.0,
        current=3,
    )
    return view


def _rca(lang: str) -> Iterator[Card]:
    times = pd.date_range(NOW - timedelta(minutes=30), periods=120, freq="15s", tz="UTC")
    onset = times[60]
    rows = [
        {"timestamp": ts, "entity": "ledger-7d9f8c6b5-x2k4q", "metric": m, "value": float(i)}
        for m in ("latency_p99_seconds", "cpu_usage_cores")
        for i, ts in enumerate(times)
    ]
    evidence = (Evidence("cpu_usage_cores", onset, 0.2, 0.9, 0.8),)
    change = Change(
        onset, "rollout", "ledger", "ledger", {"image": "ledger:2", "previous_image": "ledger:1"}
    )
    top = Candidate(
        "ledger-7d9f8c6b5-x2k4q",
        "latency_p99_seconds",
        0.9,
        onset,
        0.1,
        2.5,
        "up",
        evidence,
        changes=(change,),
    )
    for verdict, candidates in (("root_cause", (top,)), ("no_anomaly", ())):
        result = RcaResult(candidates, onset if candidates else None, verdict, (change,))  # type: ignore[arg-type]
        frame = pd.DataFrame(rows)
        view = RcaView(
            "payments",
            "default",
            "30m",
            result,
            frame,
            ["Warning BackOff pod/ledger-1"],
            "",
            timezone=TZ,
            now=NOW,
        )
        yield rca_card(view, lang)


def _answers(lang: str) -> Iterator[Card]:
    zh = lang == "zh-CN"
    title, section = ("探针失败", "处理") if zh else ("Probe failures", "Fix")
    hit = Hit(title, "runbook.md", section, "重启 Pod。" if zh else "Restart the pod.", 0.5)
    view = answer.AnswerView(
        "探针失败怎么排查" if zh else "how do I fix probe failures",
        "重启 Pod [1]" if zh else "Restart the pod [1]",
        [Citation(1, title, "runbook.md", section)],
        [hit],
    )
    yield answer.answer_card(view, lang)
    yield answer.unknown_card("?", lang)
    yield answer.web_unavailable_card("?", lang)
    yield answer.web_card("?", "—", [("—", "https://kubernetes.io/docs/")], lang)
    yield answer.web_card("?", "—", [], lang)


def _fixes(lang: str) -> Iterator[Card]:
    crash = {"container": "nginx", "pod": "nginx-1", "restarts": "5"}
    crash |= {"last_reason": "Error", "exit_code": "1"}
    finding = fix.FindingText(
        "critical",
        t("cluster.problem.crash_loop.title", lang, **crash),
        t("cluster.problem.crash_loop.detail", lang, **crash),
    )
    yield fix.diagnosis_card(
        "—", [fix.WorkloadFindings("default", "nginx", (finding,), True)], lang
    )
    view = fix.PlanView(
        "p1",
        "fix",
        "default",
        "nginx",
        (operation_text(RolloutRestart(), lang), operation_text(ScaleReplicas(4), lang)),
        ("spec.replicas: 2 → 4",),
        (finding,),
        "",
        "12-03 20:01",
    )
    who = "<at id=ou_alice></at>"
    yield fix.approval_card(view, lang)  # no approver configured
    plan = FixPlan(Target("default", "nginx", "1", 1, 2, {}), (RolloutRestart(), ScaleReplicas(4)))
    impact = impact_text(plan, lang)
    yield fix.approval_card(
        replace(view, requester="ou_alice", approvers=("ou_bob",), impact=impact, valid_minutes=30),
        lang,
    )
    yield fix.no_fix_card("default", "nginx", (finding,), lang)
    yield fix.applying_card(view, who, lang)
    yield fix.applied_card(view, who, "ready", "—", lang)
    yield fix.not_applied_card(view, "—", lang)
    yield fix.interrupted_card(view, "—", lang)
    yield fix.rejected_card(view, who, "—", lang)
    yield audit_card([AuditRow("12-03 20:01", who, "approve", "applied", "—")], lang)


def _others(lang: str) -> Iterator[Card]:
    skills = default_registry().visible()
    yield help.help_card(skills, lang)
    yield help.welcome_card(skills, lang, group=True)
    yield help.unknown_command_card("rcaa", skills[0], lang)
    yield answer.small_talk_card("greeting", skills, lang)
    yield answer.small_talk_card("thanks", skills, lang)
    yield notices.error_card(lang, "Prometheus", "—", since="14:02")
    yield notices.internal_error_card(lang, "/rca")
    yield notices.working_card(lang, "—")
    yield notices.usage_card(
        lang, t("usage.missing_argument", lang, name="—"), t("rca.usage", lang)
    )
    yield notices.notice_card(t("ask.title", lang), t("ask.new.done", lang))
    yield forecast_card(_forecast(), lang, "2d", TZ)
    yield from digest_cards([DigestEntry("payments", _forecast())], lang, TZ, NOW, "—")
    yield whoami_card("ou_alice", "oc_ops", "group", ["default"], lang)
    yield setup_card([Check.ok("prometheus", "—")], ["payments"], lang, "14:02")
    alert = AlertView(
        "k",
        "firing",
        "HighLatency",
        "critical",
        {"service": "payments"},
        {"summary": "—"},
        [],
        service="payments",
        namespace="default",
    )
    yield alert_card(alert, lang, TZ)
    acted = replace(
        alert,
        status="resolved",
        acked_by="ou_alice",
        silenced_by="ou_bob",
        silenced_until=NOW.isoformat(),
    )
    yield alert_card(acted, lang, TZ)
    yield anomaly_card(
        "payments",
        "default",
        [Anomaly("ledger", "ledger", "cpu_usage_cores", NOW, 1.5, 0.9)],
        lang,
        TZ,
    )


def every_card(lang: str) -> list[Card]:
    return [*_rca(lang), *_answers(lang), *_fixes(lang), *_others(lang)]


def _name(card: Card) -> str:
    return str(card.get("header", {}).get("title", {}).get("content", ""))[:40]


def test_zh_cn_cards_have_no_english_words_and_no_raw_keys() -> None:
    found: dict[str, set[str]] = {}
    for built in every_card("zh-CN"):
        for text in texts(built):
            problems = english_words(text) | catalogue_keys(text)
            if problems:
                found.setdefault(_name(built), set()).update(problems)
    assert found == {}


def test_en_us_cards_have_no_chinese_and_no_raw_keys() -> None:
    found: dict[str, set[str]] = {}
    for built in every_card("en-US"):
        for text in texts(built):
            problems = set(_CJK.findall(text)) | catalogue_keys(text)
            if problems:
                found.setdefault(_name(built), set()).update(problems)
    assert found == {}


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("依赖 Prometheus 出现问题：unreachable", {"unreachable"}),
        ("`kubectl get pods` 和 payments", set()),
    ],
)
def test_the_checker_finds_english_outside_code_and_names(text: str, english: set[str]) -> None:
    assert english_words(text) == english


def test_the_checker_finds_a_raw_key() -> None:
    assert catalogue_keys(f"见 {next(iter(catalogue()))}") and not catalogue_keys(t("help.title"))


def _prometheus_errors() -> list[Exception]:
    from analysis.prometheus import NoData, PrometheusQueryError, PrometheusUnreachable
    from analysis.prometheus.errors import PrometheusAuthError

    return [
        PrometheusUnreachable("http://prometheus:9090", "Connection refused"),
        PrometheusAuthError("http://prometheus:9090", "HTTP 401"),
        PrometheusQueryError("latency_p99_seconds", "up", "parse error at char 3"),
        NoData("payments", "default", NOW, NOW),
    ]


@pytest.mark.parametrize("error", _prometheus_errors(), ids=lambda e: type(e).__name__)
def test_prometheus_failures_read_in_the_card_language(error: Exception) -> None:
    from skills.prometheus_failures import prometheus_failure

    zh = prometheus_failure(error, "zh-CN")  # type: ignore[arg-type]
    assert (
        english_words(
            notices.error_card("zh-CN", zh.dependency, zh.detail)["body"]["elements"][0]["content"]
        )
        == set()
    )
    en = prometheus_failure(error, "en-US")  # type: ignore[arg-type]
    assert not _CJK.search(en.detail)
