"""REDIS_URL switches the runtime's claims to Redis and adds Redis to /readyz; with Redis
unreachable the replica stays ready (degraded) and claims in the database."""

from __future__ import annotations

from pathlib import Path

import redis
import yaml
from sqlalchemy import func, select

from bot.registry import Registry
from bot.state.models import ProcessedEvent
from sandbox.feishu import FakePlatform
from skills import help as help_skill
from tests.conftest import start_bot
from tests.scale.conftest import REDIS_URL


def _help_only() -> Registry:
    registry = Registry()
    help_skill.register(registry)
    return registry


def _config(tmp_path: Path, prefix: str) -> str:
    path = tmp_path / "redis.yaml"
    path.write_text(yaml.safe_dump({"redis": {"key_prefix": prefix}}))
    return str(path)


def test_claims_go_to_redis_and_readiness_checks_it(
    platform: FakePlatform, db_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    bot = start_bot(
        platform,
        db_url,
        registry=_help_only(),
        REDIS_URL=REDIS_URL,
        CLOUDOPS_CONFIG=_config(tmp_path, redis_prefix),
    )
    direct = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        ready = bot.sender.client.get(f"{bot.url}/readyz")
        assert ready.status_code == 200 and ready.json()["checks"]["redis"] == "ok"
        envelope = bot.sender.message_envelope("/help", chat_id="oc_wired")
        for _ in range(3):
            assert bot.sender.post(envelope).status_code == 200
        bot.wait_for(lambda: bot.bot_messages("oc_wired"))
        message_id = envelope["event"]["message"]["message_id"]
        assert direct.get(f"{redis_prefix}dedupe:msg:{message_id}") == "message"
        engine = bot.runtime.services.store.engine
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(ProcessedEvent)).scalar() == 0
        assert len(platform.ledger.calls("POST", f"/messages/{message_id}/reply")) == 1
    finally:
        bot.stop()
        direct.close()


def test_an_unreachable_redis_degrades_to_database_claims(
    platform: FakePlatform, db_url: str, tmp_path: Path
) -> None:
    bot = start_bot(
        platform,
        db_url,
        registry=_help_only(),
        REDIS_URL="redis://127.0.0.1:1/0",
        CLOUDOPS_CONFIG=_config(tmp_path, "cloudops-test-unreachable:"),
    )
    try:
        ready = bot.sender.client.get(f"{bot.url}/readyz")
        assert ready.status_code == 200
        body = ready.json()
        assert body["checks"]["redis"].startswith("degraded: ConnectionError")
        assert body["checks"]["database"] == "ok"
        envelope = bot.sender.message_envelope("/help", chat_id="oc_degraded")
        for _ in range(3):  # Feishu redelivers: still answered once
            assert bot.sender.post(envelope).status_code == 200
        bot.wait_for(lambda: bot.bot_messages("oc_degraded"))
        message_id = envelope["event"]["message"]["message_id"]
        engine = bot.runtime.services.store.engine
        with engine.connect() as conn:
            claimed = conn.execute(select(ProcessedEvent.key)).scalars().all()
        assert f"msg:{message_id}" in claimed
        assert len(platform.ledger.calls("POST", f"/messages/{message_id}/reply")) == 1
    finally:
        bot.stop()
