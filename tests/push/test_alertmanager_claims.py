"""Identical Alertmanager notifications posted at the same time deliver once: the webhook
claims each notification in the dedupe store (SQLite, PostgreSQL, Redis) before it
delivers, and gives the claim back when the delivery fails so that the retry delivers."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import psycopg
import pytest
import redis
from fastapi import FastAPI

from bot.app import webhooks as webhook
from bot.app.webhooks import alertmanager_router
from bot.messenger import FeishuError
from bot.metrics import Metrics
from bot.state import Store, open_store
from tests.push.payloads import webhook as notification

TOKEN = "am-token-for-tests"
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
DELIVERY_SECONDS = 0.3  # long enough for every other post to arrive while one delivers


@pytest.fixture
def postgres_url() -> Iterator[str]:
    name = f"cloudops_claims_{secrets.token_hex(6)}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql", "redis"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    sqlite_url = f"sqlite:///{tmp_path / 'state.db'}"
    if request.param == "sqlite":
        opened = open_store(sqlite_url)
    elif request.param == "postgresql":
        opened = open_store(request.getfixturevalue("postgres_url"))
    else:
        prefix = f"cloudops-test-{secrets.token_hex(6)}:"
        opened = open_store(sqlite_url, redis_url=REDIS_URL, redis_prefix=prefix)
    yield opened
    if opened.redis is not None:
        await opened.redis.client.aclose()
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{opened.redis.prefix}*"):
            client.delete(key)
        client.close()
    opened.close()


class SlowDelivery:
    """Stands in for the card delivery: records each call and takes a while."""

    def __init__(self, failures: int = 0) -> None:
        self.calls: list[str] = []
        self._failures = failures

    async def __call__(self, services: Any, group: Any, digest: str, how: Any) -> str:
        self.calls.append(digest)
        await asyncio.sleep(DELIVERY_SECONDS)
        if len(self.calls) <= self._failures:
            raise FeishuError("send", 99991400, "rate limited", 400)
        return "sent"


def client_for(store: Store) -> httpx.AsyncClient:
    services = SimpleNamespace(store=store, metrics=Metrics())
    app = FastAPI()
    app.include_router(alertmanager_router(services, TOKEN, how=None))  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://bot")


async def post(client: httpx.AsyncClient, payload: dict[str, Any]) -> httpx.Response:
    return await client.post(
        "/alertmanager",
        content=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )


async def test_identical_concurrent_posts_deliver_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    delivery = SlowDelivery()
    monkeypatch.setattr(webhook, "deliver", delivery)
    async with client_for(store) as client:
        answers = await asyncio.gather(*(post(client, notification("firing")) for _ in range(5)))
    assert [a.status_code for a in answers] == [200] * 5
    statuses = sorted(a.json()["status"] for a in answers)
    assert statuses == ["duplicate"] * 4 + ["sent"]
    assert len(delivery.calls) == 1


async def test_a_failed_delivery_gives_its_claim_back_for_the_retry(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    delivery = SlowDelivery(failures=1)
    monkeypatch.setattr(webhook, "deliver", delivery)
    async with client_for(store) as client:
        failed = await post(client, notification("firing"))
        retried = await post(client, notification("firing"))
        repeated = await post(client, notification("firing"))
    assert failed.status_code == 502
    assert retried.json()["status"] == "sent"
    assert repeated.json()["status"] == "duplicate"
    assert len(delivery.calls) == 2
