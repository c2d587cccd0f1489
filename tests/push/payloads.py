"""Alertmanager webhook (v4) payloads for the tests, built in code (the repository does not
depend on ../shared at test time)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

EXPR = (
    "histogram_quantile(0.99, sum by (pod, le) "
    '(rate(http_request_duration_seconds_bucket{service="payments"}[5m]))) > 1'
)


def webhook(status: str) -> dict[str, Any]:
    """PaymentsHighLatency in namespace default, ``firing`` or ``resolved``."""
    labels = {
        "alertname": "PaymentsHighLatency",
        "namespace": "default",
        "service": "payments",
        "severity": "critical",
    }
    annotations = {
        "summary": "payments p99 latency above 1s",
        "runbook_url": "https://runbooks.example/payments-latency",
    }
    alert = {
        "status": status,
        "labels": {**labels, "pod": "payments-7c9d5-b2"},
        "annotations": {
            "summary": annotations["summary"],
            "description": "p99 is 2.4s on payments-7c9d5-b2",
        },
        "startsAt": "2025-11-25T08:47:30Z",
        "endsAt": "2025-11-25T09:05:00Z" if status == "resolved" else "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus.monitoring:9090/graph?g0.expr="
        + quote_plus(EXPR)
        + "&g0.tab=1",
        "fingerprint": "c4f2a1b0e9d87f61",
    }
    return {
        "version": "4",
        "groupKey": '{}:{alertname="PaymentsHighLatency"}',
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "cloudops-bot",
        "groupLabels": {"alertname": "PaymentsHighLatency"},
        "commonLabels": labels,
        "commonAnnotations": annotations,
        "externalURL": "http://alertmanager.monitoring:9093",
        "alerts": [alert],
    }
