"""The sample Alertmanager webhook (version 4) the page's alert button posts."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

__all__ = ["sample_alert"]


def sample_alert(now: datetime, *, pod: str = "payments-7c9d5-b2") -> dict[str, Any]:
    """PaymentsHighLatency firing for the payments service, started ``now``."""
    labels = {
        "alertname": "PaymentsHighLatency",
        "namespace": "payments",
        "service": "payments",
        "severity": "critical",
    }
    annotations = {
        "summary": "payments p99 latency above 1s",
        "runbook_url": "https://runbooks.example/payments-latency",
    }
    alert = {
        "status": "firing",
        "labels": {**labels, "pod": pod},
        "annotations": {**annotations, "description": f"p99 is 2.4s on {pod}"},
        "startsAt": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus.monitoring:9090/graph",
        "fingerprint": hashlib.sha256(repr(sorted(labels.items())).encode()).hexdigest()[:16],
    }
    return {
        "version": "4",
        "groupKey": '{}:{alertname="PaymentsHighLatency"}',
        "truncatedAlerts": 0,
        "status": "firing",
        "receiver": "cloudops-bot",
        "groupLabels": {"alertname": "PaymentsHighLatency"},
        "commonLabels": labels,
        "commonAnnotations": annotations,
        "externalURL": "http://alertmanager.monitoring:9093",
        "alerts": [alert],
    }
