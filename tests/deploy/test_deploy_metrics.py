"""The Grafana dashboard and Prometheus files: valid PromQL over the bot's own metrics only."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = REPO_ROOT / "deploy" / "grafana" / "cloudops-dashboard.json"
PROMETHEUS_DIR = REPO_ROOT / "deploy" / "prometheus"
# The bot's documented metrics and their labels (histograms add `le`; targets add these).
METRICS = {
    "cloudops_events_received_total": {"kind"},
    "cloudops_events_duplicate_total": set(),
    "cloudops_skill_latency_seconds": {"skill"},
    "cloudops_errors_total": {"kind"},
    "cloudops_llm_tokens_total": {"direction"},
    "cloudops_llm_errors_total": set(),
    "cloudops_feishu_api_errors_total": {"code"},
    "cloudops_approvals_total": {"outcome"},
    "cloudops_deliveries_resumed_total": {"outcome"},
}
HISTOGRAMS = {"cloudops_skill_latency_seconds"}
TARGET_LABELS = {"job", "instance"}
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__range": "1h", "$__interval": "1m", "$job": ".+"}

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGES = re.compile(r"\[[^\]]*\]")
_CLAUSES = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
_IDENT = re.compile(r"(?<![\w:.$])[A-Za-z_:][\w:]*")
_CALL = re.compile(r"\s*\(")
_KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
    "and", "or", "unless", "offset", "inf", "nan", "atan2",
}  # fmt: skip


def metric_names(expr: str) -> set[str]:
    """Identifiers that stand for series selectors (not functions, keywords or labels)."""
    text = _CLAUSES.sub(" ", _RANGES.sub(" ", _MATCHERS.sub(" ", _STRINGS.sub('""', expr))))
    names = set()
    for match in _IDENT.finditer(text):
        is_call = _CALL.match(text, match.end()) is not None
        if not is_call and match.group().lower() not in _KEYWORDS:
            names.add(match.group())
    return names


def grouping_labels(expr: str) -> set[str]:
    labels: set[str] = set()
    for keyword, names in _CLAUSES.findall(_STRINGS.sub('""', expr)):
        if keyword in ("by", "without"):
            labels.update(n.strip() for n in names.split(",") if n.strip())
    return labels


def documented(name: str) -> str | None:
    """The documented metric a series name belongs to, or None."""
    if name in METRICS:
        return name
    base, _, suffix = name.rpartition("_")
    return base if base in HISTOGRAMS and suffix in ("bucket", "sum", "count") else None


def _promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool not found: install Debian's `prometheus` package")
    return path


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def exprs(dashboard: dict[str, Any]) -> list[str]:
    return [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]


def test_promql_terms_finds_foreign_metrics() -> None:
    expr = 'sum by (le, skill) (rate(x_bucket{a="b"}[5m])) / on(job) node_load1 offset 5m > 1e3'
    assert metric_names(expr) == {"x_bucket", "node_load1"}
    assert grouping_labels(expr) == {"le", "skill"}
    assert documented("cloudops_skill_latency_seconds_bucket") == "cloudops_skill_latency_seconds"
    assert documented("cloudops_errors_total_bucket") is None


def test_dashboard_uses_only_documented_metrics(exprs: list[str]) -> None:
    assert exprs
    used = {name for expr in exprs for name in metric_names(expr)}
    assert {name for name in used if documented(name) is None} == set()
    assert {documented(name) for name in used} == set(METRICS), "a metric has no panel"


def test_dashboard_groups_by_documented_labels(exprs: list[str]) -> None:
    for expr in exprs:
        metrics = {documented(name) for name in metric_names(expr)}
        allowed = set(TARGET_LABELS).union(*(METRICS[m] for m in metrics if m))
        if metrics & HISTOGRAMS:
            allowed.add("le")
        assert grouping_labels(expr) <= allowed, expr


def test_dashboard_has_the_requested_views(exprs: list[str]) -> None:
    def shown(metric: str, by: set[str]) -> bool:
        return any(metric in e and by <= grouping_labels(e) for e in exprs)

    assert shown("cloudops_events_received_total", {"kind"})
    assert shown("cloudops_events_duplicate_total", set())
    for quantile in ("0.5", "0.99"):
        assert any(
            f"histogram_quantile({quantile}," in e and "skill" in grouping_labels(e) for e in exprs
        )
    assert shown("cloudops_errors_total", {"kind"})
    assert shown("cloudops_llm_tokens_total", {"direction"})
    assert shown("cloudops_feishu_api_errors_total", {"code"})
    assert shown("cloudops_approvals_total", {"outcome"})


def test_dashboard_panels_use_the_datasource_variable(dashboard: dict[str, Any]) -> None:
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    for panel in dashboard["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
    query = variables["job"]["query"]["query"]
    metric = re.fullmatch(r"label_values\((\w+),\s*job\)", query)
    assert metric and documented(metric.group(1))
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))


def test_dashboard_expressions_parse_as_promql(exprs: list[str], tmp_path: Path) -> None:
    rules = []
    for number, expr in enumerate(exprs):
        for variable, value in sorted(GRAFANA_VARIABLES.items(), key=lambda kv: -len(kv[0])):
            expr = expr.replace(variable, value)
        assert "$" not in expr, expr
        rules.append({"record": f"dashboard:panel_{number}", "expr": expr})
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    done = subprocess.run(
        [_promtool(), "check", "rules", str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_promql_check_rejects_a_broken_expression(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    rule = {"record": "x:y", "expr": "sum by (kind (rate(cloudops_errors_total[5m]))"}
    path.write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": [rule]}]}))
    done = subprocess.run(
        [_promtool(), "check", "rules", str(path)], capture_output=True, timeout=60
    )
    assert done.returncode != 0


def test_prometheus_config_and_rules_are_valid() -> None:
    done = subprocess.run(
        [_promtool(), "check", "config", str(PROMETHEUS_DIR / "prometheus.yml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 rule files found" in done.stdout


def test_alert_rules_use_only_documented_metrics() -> None:
    groups = yaml.safe_load((PROMETHEUS_DIR / "cloudops-rules.yml").read_text())["groups"]
    rules = [rule for group in groups for rule in group["rules"]]
    assert rules
    for rule in rules:
        names = metric_names(rule["expr"])
        assert {n for n in names if documented(n) is None} <= {"up"}, rule["alert"]


def test_prometheus_scrapes_the_compose_bot() -> None:
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    [job] = [j for j in config["scrape_configs"] if j["job_name"] == "cloudops-bot"]
    assert job.get("metrics_path", "/metrics") == "/metrics"
    [target] = [t for group in job["static_configs"] for t in group["targets"]]
    host, _, port = target.partition(":")
    assert host in compose["services"]
    published = [p.rsplit(":", 1)[1] for p in compose["services"][host]["ports"]]
    assert port in published
