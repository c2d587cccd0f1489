"""Forecast digests: the subscriptions of a chat that share a schedule form one digest,
one card per page of services (forecast chart, peak, recommended replicas, anomalies of
the last day), sent by the leader-locked scheduler (``digest_jobs``) or on demand
(``/subscriptions run <id>``)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from analysis.prometheus import PrometheusError
from bot.cards.alert import Anomaly
from bot.cards.card import Card
from bot.cards.digest import DigestEntry, digest_cards
from bot.jobs import JobRun, JobSource, ScheduledJob, parse_schedule, trigger_for
from bot.jobs.schedules import Schedule
from bot.messenger import uuid_for
from bot.registry import DependencyError
from bot.services import Services
from bot.state import SubscriptionRecord
from skills.alerts.scans import find_anomalies
from skills.namespaces import default_namespace
from skills.service_forecast import run_forecast

__all__ = ["KIND", "build_digest", "digest_jobs", "digest_horizon"]

KIND = "forecast"  # the kind of subscription a digest is made of
DAY = timedelta(days=1)


def digest_horizon(schedule: Schedule) -> timedelta:
    if schedule.kind == "every":
        return min(max(schedule.every, timedelta(hours=1)), timedelta(days=2))
    return DAY


async def _anomalies(services: Services, service: str, at: datetime) -> list[Anomaly]:
    source = services.prometheus
    if source is None:
        return []
    threshold = services.settings.scans.threshold
    namespace = default_namespace(services.settings, service)
    try:
        frame = await asyncio.to_thread(source.fetch, service, namespace, at - DAY, at)
    except PrometheusError:
        return []
    return await asyncio.to_thread(find_anomalies, frame, service, at - DAY, threshold)


async def build_digest(
    services: Services, names: Sequence[str], schedule: Schedule, at: datetime
) -> list[Card]:
    """The digest cards of ``names``, one per page of services (a failing service becomes
    a line, not a failure)."""
    entries = []
    for service in names:
        try:
            view = await run_forecast(services, service, digest_horizon(schedule), end=at)
        except DependencyError as exc:
            entries.append(DigestEntry(service, error=f"{exc.dependency}: {exc.detail}"))
            continue
        entries.append(
            DigestEntry(service, view, anomalies=await _anomalies(services, service, at))
        )
    timezone = services.settings.runtime.timezone
    return digest_cards(entries, services.lang, timezone, at, schedule.text)


def _groups(subs: Sequence[SubscriptionRecord]) -> dict[tuple[str, str], list[str]]:
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for sub in subs:
        if sub.kind == KIND and sub.target not in groups[(sub.chat_id, sub.schedule)]:
            groups[(sub.chat_id, sub.schedule)].append(sub.target)
    return groups


def digest_jobs(services: Services) -> JobSource:
    """A job source: one job per (chat, schedule) with the chat's services for it."""
    timezone = services.settings.runtime.timezone

    def job(chat_id: str, schedule: Schedule, names: list[str]) -> ScheduledJob:
        async def run(run: JobRun) -> None:
            cards = await build_digest(services, names, schedule, run.fire_time)
            for page, card in enumerate(cards):
                uuid = run.uuid if page == 0 else uuid_for(run.uuid, str(page))
                await services.messenger.send(chat_id, card, uuid=uuid)

        return ScheduledJob(
            f"digest:{chat_id}:{schedule.text}", trigger_for(schedule, timezone), run
        )

    async def source() -> list[ScheduledJob]:
        subs = await services.store.subscriptions.list()
        return [
            job(chat_id, parse_schedule(text), names)
            for (chat_id, text), names in _groups(subs).items()
        ]

    return source
