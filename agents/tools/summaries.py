"""Pure reductions of API JSON and metric frames to what a model needs to read."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.detectors.combined import anomaly_scores

__all__ = ["pod_summary", "event_summary", "metric_anomalies"]

Json = dict[str, Any]


def _state(status: Json) -> Json:
    out: Json = {
        "name": status.get("name"),
        "ready": status.get("ready"),
        "restarts": status.get("restartCount", 0),
    }
    for key in ("state", "lastState"):
        for phase, detail in (status.get(key) or {}).items():
            out[key] = {
                "phase": phase,
                "reason": (detail or {}).get("reason"),
                "exitCode": (detail or {}).get("exitCode"),
            }
    return out


def pod_summary(pod: Json) -> Json:
    status = pod.get("status") or {}
    return {
        "name": pod.get("metadata", {}).get("name"),
        "phase": status.get("phase"),
        "node": (pod.get("spec") or {}).get("nodeName"),
        "reason": status.get("reason"),
        "containers": [_state(c) for c in status.get("containerStatuses") or []],
    }


def event_summary(event: Json) -> Json:
    involved = event.get("involvedObject") or {}
    return {
        "type": event.get("type"),
        "reason": event.get("reason"),
        "object": f"{involved.get('kind')}/{involved.get('name')}",
        "message": event.get("message"),
        "count": event.get("count"),
        "last": event.get("lastTimestamp") or event.get("eventTime"),
    }


def metric_anomalies(frame: pd.DataFrame, top: int = 12) -> list[Json]:
    """Per series: latest value, range and the peak combined anomaly score, worst first."""
    rows: list[Json] = []
    for (entity, metric), group in frame.groupby(["entity", "metric"], sort=True):
        ordered = group.sort_values("timestamp")
        values = ordered["value"].to_numpy(dtype=float)
        if len(values) == 0:
            continue
        scores = np.nan_to_num(anomaly_scores(values))
        peak = int(np.argmax(scores)) if len(scores) else 0
        rows.append(
            {
                "entity": str(entity),
                "metric": str(metric),
                "last": round(float(values[-1]), 4),
                "min": round(float(np.nanmin(values)), 4),
                "max": round(float(np.nanmax(values)), 4),
                "anomaly": round(float(scores[peak]) if len(scores) else 0.0, 3),
                "anomaly_at": pd.Timestamp(ordered["timestamp"].iloc[peak]).isoformat(),
            }
        )
    rows.sort(key=lambda row: (-row["anomaly"], row["entity"], row["metric"]))
    return rows[:top]
