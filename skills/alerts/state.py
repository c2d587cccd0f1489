"""Which message shows an alert group, and what it shows, kept in ``store.kv``."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from bot.cards.alert import AlertView
from bot.state import Store

__all__ = ["AlertRecord", "load_record", "save_record"]


@dataclass
class AlertRecord:
    chat_id: str
    message_id: str
    view: AlertView


def _key(group: str) -> str:
    return f"alert:{group}"


async def load_record(store: Store, group: str) -> AlertRecord | None:
    raw = await store.kv.get(_key(group))
    if raw is None:
        return None
    data = json.loads(raw)
    return AlertRecord(data["chat_id"], data["message_id"], AlertView(**data["view"]))


async def save_record(store: Store, record: AlertRecord) -> None:
    data = {
        "chat_id": record.chat_id,
        "message_id": record.message_id,
        "view": dataclasses.asdict(record.view),
    }
    await store.kv.put(_key(record.view.key), json.dumps(data, ensure_ascii=False))
