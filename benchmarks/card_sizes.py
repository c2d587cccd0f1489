"""Card sizes as sent: /rca for windows of 5–120 minutes at 15 s resolution, alert cards
for 35–75 minute charts, digests for 20–40 services.

Run once with the code to compare against (e.g. the main checkout) and once with this
one; the second run writes benchmarks/results/cards.md:

    PYTHONPATH=../main ../main/.venv/bin/python benchmarks/card_sizes.py --json /tmp/b.json
    .venv/bin/python benchmarks/card_sizes.py --before /tmp/b.json
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.evidence import Candidate, Evidence, RcaResult
from bot.cards import alert, digest
from bot.cards.rca import RcaView, rca_card

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
WINDOWS = [5, 10, 15, 20, 29, 30, 35, 45, 60, 75, 90, 120]
METRICS = [
    "cpu_usage_cores",
    "cpu_throttled_ratio",
    "memory_working_set_bytes",
    "latency_p99_seconds",
    "error_ratio",
    "request_rate",
]
PODS = [f"{s}-7d9f8c6b5-{i}x2k4" for s in ("ledger", "payments", "fraud") for i in range(3)]
EVENT = "Warning  BackOff  pod/ledger-7d9f8c6b5-0x2k4  Back-off restarting failed container ledger"
NARRATIVE = "根因分析：ledger 的 CPU 在发布之后被限流，导致下游 payments 的延迟升高。" * 25


def _size(card: dict[str, Any], compact: bool) -> int:
    seps = (",", ":") if compact else (", ", ": ")
    return len(json.dumps(card, ensure_ascii=False, separators=seps).encode())


def _elements(node: Any) -> int:
    if isinstance(node, list):
        return sum(_elements(n) for n in node)
    if not isinstance(node, dict):
        return 0
    own = 1 if "tag" in node else 0
    return own + sum(_elements(v) for k, v in node.items() if k not in ("chart_spec", "rows"))


def rca_view(minutes: int) -> RcaView:
    times = pd.date_range(NOW - timedelta(minutes=minutes), NOW, freq="15s", tz="UTC")
    onset = times[len(times) * 2 // 3]
    rng = np.random.default_rng(minutes)
    rows = [
        {"timestamp": ts, "entity": pod, "metric": metric, "value": float(v)}
        for pod in PODS
        for metric in METRICS
        for ts, v in zip(times, rng.normal(1, 0.1, len(times)) + (times >= onset) * 3, strict=True)
    ]
    candidates = tuple(
        Candidate(
            pod,
            METRICS[i % len(METRICS)],
            0.9 - i / 10,
            onset,
            1.0,
            4.0,
            "up",
            tuple(Evidence(m, onset, 1.0, 4.0, 0.8) for m in METRICS[:4]),
        )
        for i, pod in enumerate(PODS[:5])
    )
    result = RcaResult(candidates, onset, "root_cause")
    footer = "45 series · 1.2 s"
    events = [EVENT] * 15
    return RcaView(
        "payments", "payments", f"{minutes}m", result, pd.DataFrame(rows), events, footer, NARRATIVE
    )


def alert_view(minutes: int) -> alert.AlertView:
    start = int(NOW.timestamp()) - minutes * 60
    chart = [
        {"t": start + 15 * i, "v": float(i % 50), "s": f'{{pod="{PODS[s]}",namespace="payments"}}'}
        for s in range(3)
        for i in range(minutes * 4)
    ][: 3 * 60 * 4]
    # the alerts skill keeps at most 60 points per series
    by_series: dict[str, list[dict[str, Any]]] = {}
    for p in chart:
        by_series.setdefault(str(p["s"]), []).append(p)
    chart = [p for pts in by_series.values() for p in pts[:: max(1, len(pts) // 60)]]
    labels = {
        "alertname": "HighLatency",
        "namespace": "payments",
        "service": "payments",
        "severity": "critical",
    }
    alerts = [{"status": "firing", "detail": f"pod={p}", "starts": NOW.isoformat()} for p in PODS]
    return alert.AlertView(
        "k",
        "firing",
        "HighLatency",
        "critical",
        labels,
        {"summary": "p99 latency above 500ms", "description": "Latency high. " * 20},
        alerts,
        service="payments",
        namespace="payments",
        expr="latency > 0.5",
        chart=chart,
        threshold=0.5,
        can_silence=True,
    )


def digest_cards(count: int) -> list[dict[str, Any]]:
    from skills.service_forecast import plan_forecast

    times = pd.date_range(NOW - timedelta(days=7), periods=300, freq="2025s", tz="UTC")
    qps = 100 + 50 * np.sin(2 * np.pi * (times.asi8 / 1e9) / 86400)
    entries = []
    for i in range(count):
        view = plan_forecast(
            pd.Series(qps, index=times),
            timedelta(days=1),
            service=f"service-{i:02d}",
            namespace="default",
            deployment=f"service-{i:02d}",
            capacity=20.0,
            current=3,
        )
        anomalies = [
            alert.Anomaly(f"service-{i:02d}", PODS[j], METRICS[j % 6], NOW, 3.0, 0.9)
            for j in range(3)
        ]
        entries.append(digest.DigestEntry(f"service-{i:02d}", view, anomalies=anomalies))
    if hasattr(digest, "digest_cards"):
        return list(digest.digest_cards(entries, "zh-CN", "Asia/Shanghai", NOW, "daily 09:00"))
    return [digest.digest_card(entries, "zh-CN", "Asia/Shanghai", NOW, "daily 09:00")]


def measure(compact: bool) -> dict[str, Any]:
    rca = {}
    for minutes in WINDOWS:
        built = rca_card(rca_view(minutes), "zh-CN")
        spec = next(e for e in built["body"]["elements"] if e["tag"] == "chart")["chart_spec"]
        points = spec["data"]["values"]
        series = {p.get("series", p.get("s")) for p in points}
        rca[minutes] = {
            "bytes": _size(built, compact),
            "elements": _elements(built),
            "points_per_series": len(points) // max(1, len(series)),
        }
    alerts = {
        m: _size(alert.alert_card(alert_view(m), "zh-CN", "Asia/Shanghai"), compact)
        for m in (35, 45, 60, 75)
    }
    digests = {}
    for count in (20, 25, 40):
        cards = digest_cards(count)
        digests[count] = {
            "cards": len(cards),
            "bytes": max(_size(c, compact) for c in cards),
            "elements": max(_elements(c) for c in cards),
        }
    return {"rca": rca, "alerts": alerts, "digests": digests}


def write(before: dict[str, Any], after: dict[str, Any], path: Path) -> None:
    lines = [
        "# Card sizes as sent (bytes of the card JSON, UTF-8)",
        "",
        "Synthetic but realistic inputs (benchmarks/card_sizes.py): 9 pods × 6 signals at 15 s,",
        "5 candidates with 4 pieces of evidence, 15 events, a 1,500-character zh-CN narrative.",
        "Feishu refuses a card above 30,720 bytes (230025) or 200 elements; the bot's budget",
        "is 26,624 bytes and 180 elements. Before: the builders of the main branch, sent with",
        "json.dumps defaults; after: this branch, sent compact.",
        "",
        "## /rca (zh-CN)",
        "",
        "| window | before bytes | before points/series | after bytes | after points/series"
        " | after elements |",
        "|---|---|---|---|---|---|",
    ]
    for m in WINDOWS:
        b, a = before["rca"][str(m)], after["rca"][str(m)]
        lines.append(
            f"| {m} min | {b['bytes']:,} | {b['points_per_series']} | {a['bytes']:,} "
            f"| {a['points_per_series']} | {a['elements']} |"
        )
    lines += ["", "## Alert card (3 series)", "", "| window | before | after |", "|---|---|---|"]
    for m, size in after["alerts"].items():
        lines.append(f"| {m} min | {before['alerts'][str(m)]:,} | {size:,} |")
    lines += [
        "",
        "## Digest (zh-CN, every service with a forecast and 3 anomalies)",
        "",
        "| services | before cards | before largest bytes | before elements | after cards"
        " | after largest bytes | after largest elements |",
        "|---|---|---|---|---|---|---|",
    ]
    for n, a in after["digests"].items():
        b = before["digests"][str(n)]
        lines.append(
            f"| {n} | {b['cards']} | {b['bytes']:,} | {b['elements']} | {a['cards']} "
            f"| {a['bytes']:,} | {a['elements']} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path, help="write this run's figures as JSON")
    parser.add_argument("--before", type=Path, help="figures of the baseline run")
    parser.add_argument("--compact", action="store_true", help="measure compact JSON")
    args = parser.parse_args()
    result = json.loads(json.dumps(measure(args.compact or bool(args.before))))
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result), encoding="utf-8")
    if args.before:
        before = json.loads(args.before.read_text(encoding="utf-8"))
        write(before, result, Path(__file__).parent / "results" / "cards.md")


if __name__ == "__main__":
    main()
