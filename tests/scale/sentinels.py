"""Sentinels instead of sleeps before "nothing else happened" checks on replicas.

``settle``: a later command to every live replica is answered, then every replica's
worker queue is empty, so every delivery posted before has been handled to the end.
``scanned_since``: nothing is left in flight, then a dead replica's unreadable record,
written after that, is dropped by a later resume scan.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.state import open_store
from bot.state.models import InflightDelivery
from tests.scale.replicas import Replica, Replicas

__all__ = ["settle", "scanned_since"]

UNREADABLE = re.compile(
    r'^cloudops_deliveries_resumed_total\{outcome="unreadable"\} (\S+)$', re.MULTILINE
)


def settle(replicas: Replicas, group: list[Replica], timeout: float = 30) -> None:
    ledger = replicas.platform.ledger
    chats = []
    for replica in group:
        chat = "oc_sentinel_" + secrets.token_hex(4)
        assert replicas.sender(replica).say("/help", chat_id=chat).status_code == 200
        chats.append(chat)
    ledger.wait_for(lambda: all(ledger.sent(chat) for chat in chats), timeout)
    with httpx.Client(timeout=timeout) as client:
        for replica in group:
            assert client.post(f"{replica.url}/scale-test/drain").json() == {"drained": True}


def _unreadable(group: list[Replica]) -> float:
    total = 0.0
    with httpx.Client(timeout=5) as client:
        for replica in group:
            found = UNREADABLE.search(client.get(f"{replica.url}/metrics").text)
            total += float(found.group(1)) if found else 0.0
    return total


def scanned_since(replicas: Replicas, group: list[Replica], timeout: float = 20) -> None:
    store = open_store(replicas.db_url, run_migrations=False)
    ledger = replicas.platform.ledger

    def in_flight() -> int:
        with Session(store.engine) as session:
            query = select(func.count()).select_from(InflightDelivery)
            return int(session.execute(query).scalar() or 0)

    try:
        ledger.wait_for(lambda: in_flight() == 0, timeout)
        before = _unreadable(group)
        key = "msg:om_sentinel_" + secrets.token_hex(4)
        gone = timedelta(seconds=-1)  # its lease ran out already
        asyncio.run(store.inflight.begin(key, "message", "not a delivery", "dead-replica", gone))
        ledger.wait_for(lambda: _unreadable(group) > before and in_flight() == 0, timeout)
    finally:
        store.close()
