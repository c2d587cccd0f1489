"""Optional anomaly scans: the combined detector over each configured service's signals.

    scans: {every: 5m, services: [payments, orders], window: 3h, threshold: 0.8,
            cooldown: 30m, chat_id: oc_xxx}

A scan scores every series of the last ``window`` and reports points of the last
``every`` scoring at least ``threshold``. A service gets one card per scan listing its
new anomalies; a signal reported less than ``cooldown`` ago is left out, so a flapping
signal does not flood the chat. Without ``chat_id`` the alert routes decide (labels
service, namespace, severity=warning, alertname=AnomalyScan).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import structlog
from apscheduler.triggers.interval import IntervalTrigger

from analysis.detectors.combined import anomaly_scores
from bot.cards.alert import Anomaly, anomaly_card
from bot.jobs import Clock, JobRun, ScheduledJob
from bot.jobs.schedules import ANCHOR
from bot.messenger import uuid_for
from bot.services import Services
from config.sections import ScansSettings
from skills.alerts.routing import Routing
from skills.arguments import parse_window
from skills.namespaces import default_namespace
from skills.rca_links import source_query, window_links

__all__ = ["ScanConfig", "parse_scans", "find_anomalies", "fresh", "scan_once", "scan_job"]

log = structlog.get_logger(__name__)


_SCANS = ScansSettings.default()  # defaults.yaml: scans


@dataclass(frozen=True)
class ScanConfig:
    every: timedelta
    services: tuple[str, ...]
    window: timedelta = parse_window(_SCANS.window)
    threshold: float = _SCANS.threshold
    cooldown: timedelta = parse_window(_SCANS.cooldown, least=timedelta(0))
    chat_id: str | None = None


def parse_scans(section: ScansSettings) -> ScanConfig | None:
    """The ``scans`` section, or None when scans are off (no services)."""
    if not section.services:
        return None
    every = parse_window(section.every, least=timedelta(minutes=1))
    threshold = section.threshold
    if not 0 < threshold <= 1:
        raise ValueError(f"scans.threshold must be in (0, 1], got {threshold}")
    return ScanConfig(
        every=every,
        services=tuple(section.services),
        window=parse_window(section.window),
        threshold=threshold,
        cooldown=parse_window(section.cooldown, least=timedelta(0)),
        chat_id=section.chat_id or None,
    )


def find_anomalies(
    frame: pd.DataFrame, service: str, since: datetime, threshold: float
) -> list[Anomaly]:
    """The highest-scoring recent point of every series scoring at least ``threshold``."""
    found = []
    for (entity, metric), rows in frame.groupby(["entity", "metric"]):
        rows = rows.sort_values("timestamp")
        scores = anomaly_scores(rows["value"].to_numpy(dtype=float))
        recent = (rows["timestamp"] >= pd.Timestamp(since)).to_numpy()
        if not recent.any():
            continue
        best = int(np.argmax(np.where(recent, scores, -1.0)))
        if scores[best] >= threshold:
            row = rows.iloc[best]
            when = row["timestamp"].to_pydatetime()
            found.append(
                Anomaly(
                    service,
                    str(entity),
                    str(metric),
                    when,
                    float(row["value"]),
                    float(scores[best]),
                )
            )
    return sorted(found, key=lambda a: -a.score)


def fresh(
    anomalies: list[Anomaly],
    last_sent: Mapping[str, datetime],
    now: datetime,
    cooldown: timedelta,
) -> list[Anomaly]:
    """Anomalies whose signal (service + metric) was not reported within ``cooldown``."""
    return [
        a
        for a in anomalies
        if (sent := last_sent.get(f"{a.service}:{a.metric}")) is None or now - sent >= cooldown
    ]


def _cool_key(key: str) -> str:
    return f"scan:cooldown:{key}"[:250]


async def scan_once(
    services: Services,
    config: ScanConfig,
    routing: Routing,
    timezone: str,
    now: datetime,
    uuid: str,
) -> int:
    """Scan every service once; returns how many cards were sent."""
    source = services.prometheus
    if source is None:
        log.warning("scan_skipped", reason="prometheus not configured")
        return 0
    sent = 0
    for service in config.services:
        namespace = default_namespace(services.settings, service)
        try:
            frame = await asyncio.to_thread(
                source.fetch, service, namespace, now - config.window, now
            )
            found = await asyncio.to_thread(
                find_anomalies, frame, service, now - config.every, config.threshold
            )
        except Exception as exc:
            log.warning("scan_failed", service=service, error=type(exc).__name__)
            continue
        last: dict[str, datetime] = {}
        for key in {f"{a.service}:{a.metric}" for a in found}:
            raw = await services.store.kv.get(_cool_key(key))
            if raw:
                last[key] = datetime.fromisoformat(raw)
        new = fresh(found, last, now, config.cooldown)
        if not new:
            continue
        labels = {
            "service": service,
            "namespace": namespace,
            "severity": "warning",
            "alertname": "AnomalyScan",
        }
        chat_id = config.chat_id or routing.chat_for(labels)
        if chat_id is None:
            log.warning("scan_unrouted", service=service)
            continue
        first = new[0]
        start = now - config.window
        expr = source_query(source, service, namespace, first.entity, first.metric, start, now)
        links = window_links(services.settings, source, service, namespace, expr, start, now)
        card = anomaly_card(service, namespace, new, services.lang, timezone, links)
        await services.messenger.send(chat_id, card, uuid=uuid_for(uuid, service))
        for key in {f"{a.service}:{a.metric}" for a in new}:
            # Read only to hold the signal back for ``cooldown``; a day more covers clock
            # differences between replicas and a scheduler that fell behind.
            keep = config.cooldown + timedelta(days=1)
            await services.store.kv.put(_cool_key(key), now.isoformat(), ttl=keep)
        sent += 1
    return sent


def scan_job(
    services: Services, config: ScanConfig, routing: Routing, timezone: str, clock: Clock
) -> ScheduledJob:
    """The scan as a scheduler job; only its latest missed firing is caught up."""

    async def run(run: JobRun) -> None:
        await scan_once(services, config, routing, timezone, clock(), run.uuid)

    trigger = IntervalTrigger(
        seconds=int(config.every.total_seconds()), start_date=ANCHOR, timezone=timezone
    )
    return ScheduledJob("scan", trigger, run, grace=config.every)
