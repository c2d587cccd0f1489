"""Department grants: the sender's departments come from the contact API through the real
lark client (the fake platform answers it), are cached, and an unknown person matches no
department grant."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.access.departments import LarkDepartments
from bot.app.skills import default_registry
from bot.messenger import Messenger
from bot.metrics import Metrics
from sandbox.feishu import FakePlatform
from tests.conftest import start_bot


def _directory(platform: FakePlatform, clock: list[float]) -> LarkDepartments:
    messenger = Messenger.create(platform.app_id, platform.app_secret, platform.url, Metrics())
    return LarkDepartments(messenger.client, ttl_seconds=60, clock=lambda: clock[0])


def _contact_calls(platform: FakePlatform) -> int:
    return len(platform.ledger.calls("GET", "/open-apis/contact/v3/users/"))


def test_departments_are_fetched_once_per_ttl_and_unknown_is_empty(platform: FakePlatform) -> None:
    platform.departments["ou_ann"] = ["od_sre", "od_payments"]
    clock = [0.0]
    directory = _directory(platform, clock)

    async def run() -> None:
        assert await directory.departments_of("ou_ann") == {"od_sre", "od_payments"}
        assert await directory.departments_of("ou_ann") == {"od_sre", "od_payments"}
        assert _contact_calls(platform) == 1  # cached
        assert await directory.departments_of("ou_outsider") == frozenset()
        platform.departments["ou_ann"] = ["od_sre"]
        clock[0] = 61.0
        assert await directory.departments_of("ou_ann") == {"od_sre"}  # refreshed after ttl

    asyncio.run(run())
    (call, *_) = platform.ledger.calls("GET", "/open-apis/contact/v3/users/ou_ann")
    assert call.query["department_id_type"] == "open_department_id"


def test_a_department_grant_admits_its_members_only(
    platform: FakePlatform, db_url: str, tmp_path: Path
) -> None:
    platform.departments["ou_sre_member"] = ["od_sre"]
    access = {"grants": [{"role": "viewer", "department_ids": ["od_sre"]}]}
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps({"access": access}), encoding="utf-8")
    bot = start_bot(platform, db_url, registry=default_registry(), CLOUDOPS_CONFIG=str(config))
    try:
        bot.sender.say("/help", chat_id="oc_a", sender="ou_sre_member")
        bot.sender.say("/help", chat_id="oc_b", sender="ou_outsider")
        member = bot.wait_for(lambda: bot.bot_messages("oc_a"))[0]
        outsider = bot.wait_for(lambda: bot.bot_messages("oc_b"))[0]
        assert "Not allowed" not in json.dumps(member.content)
        assert "Not allowed" in json.dumps(outsider.content)
    finally:
        bot.stop()
