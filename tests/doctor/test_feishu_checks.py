"""The Feishu checks against the fake open platform through the real lark-oapi client."""

from __future__ import annotations

import asyncio

from bot.doctor.feishu import REQUIRED_SCOPES, feishu_checks, missing_scopes
from bot.doctor.inputs import DoctorInput
from sandbox.feishu import FakePlatform
from tests.conftest import bot_settings


def _checks(platform: FakePlatform, db_url: str, **env: str) -> dict[str, dict[str, str]]:
    settings = bot_settings(platform, db_url, **env)
    found = asyncio.run(feishu_checks(DoctorInput(settings, timeout=5)))
    return {c.name: {"status": c.status, "detail": c.detail, "fix": c.fix} for c in found}


def test_wrong_secret_stops_at_the_token(platform: FakePlatform, db_url: str) -> None:
    checks = _checks(platform, db_url, FEISHU_APP_SECRET="not-the-secret")
    assert list(checks) == ["feishu.token"]
    assert checks["feishu.token"]["status"] == "fail"
    assert "not-the-secret" not in str(checks)  # a secret is never echoed
    assert "FEISHU_APP_SECRET" in checks["feishu.token"]["fix"]


def test_long_connection_is_checked_against_the_platform(
    platform: FakePlatform, db_url: str
) -> None:
    ok = _checks(platform, db_url, FEISHU_TRANSPORT="longconn")
    assert ok["feishu.transport"]["status"] == "ok"
    platform.longconn_enabled = False
    refused = _checks(platform, db_url, FEISHU_TRANSPORT="longconn")
    assert refused["feishu.transport"]["status"] == "fail"
    assert "persistent connection" in refused["feishu.transport"]["fix"]


def test_webhook_without_encrypt_key_warns(platform: FakePlatform, db_url: str) -> None:
    settings = bot_settings(platform, db_url)
    settings.feishu_encrypt_key = None
    found = asyncio.run(feishu_checks(DoctorInput(settings, timeout=5)))
    transport = next(c for c in found if c.name == "feishu.transport")
    assert transport.status == "warn" and "FEISHU_ENCRYPT_KEY" in transport.fix


def test_old_scope_names_count_as_granted() -> None:
    everything = {name for name, _, _ in REQUIRED_SCOPES}
    renamed = (everything - {"im:message.p2p_msg:readonly"}) | {"im:message.p2p_msg"}
    assert missing_scopes(renamed) == []
    assert [n for n, _ in missing_scopes(everything - {"im:resource"})] == ["im:resource"]
