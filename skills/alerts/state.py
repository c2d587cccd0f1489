"""Which message shows an alert group, and what it shows, kept in ``store.kv``."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import timedelta

from bot.cards.alert import AlertView
from bot.state import Store

__all__ = ["AlertRecord", "load_record", "save_record", "KEEP", "remember_alerts", "group_of"]

# Read when the group's next notification arrives (to patch its card rather than post a
# new one) and when Acknowledge or Silence is clicked. Every save restarts the clock, so
# a group still firing keeps its card; Alertmanager repeats a firing group every few
# hours (repeat_interval), and a card untouched for a month is history.
KEEP = timedelta(days=30)


@dataclass
class AlertRecord:
    chat_id: str
    message_id: str
    view: AlertView
    cluster: str | None = None  # the cluster the card is about (several clusters)


def _key(group: str) -> str:
    return f"alert:{group}"


async def load_record(store: Store, group: str) -> AlertRecord | None:
    raw = await store.kv.get(_key(group))
    if raw is None:
        return None
    data = json.loads(raw)
    view = AlertView(**data["view"])
    return AlertRecord(data["chat_id"], data["message_id"], view, data.get("cluster"))


async def save_record(store: Store, record: AlertRecord) -> None:
    data = {
        "chat_id": record.chat_id,
        "message_id": record.message_id,
        "view": dataclasses.asdict(record.view),
    }
    if record.cluster is not None:
        data["cluster"] = record.cluster
    await store.kv.put(_key(record.view.key), json.dumps(data, ensure_ascii=False), ttl=KEEP)


def _fingerprint_key(fingerprint: str) -> str:
    return f"alertfp:{fingerprint}"[:250]


async def remember_alerts(store: Store, fingerprints: list[str], group: str) -> None:
    """Which card shows each alert (by Alertmanager's fingerprint), for ``/alerts``."""
    for fingerprint in fingerprints:
        if fingerprint:
            await store.kv.put(_fingerprint_key(fingerprint), group, ttl=KEEP)


async def group_of(store: Store, fingerprint: str) -> str | None:
    return await store.kv.get(_fingerprint_key(fingerprint)) if fingerprint else None
