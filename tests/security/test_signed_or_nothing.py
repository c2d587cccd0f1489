"""Point 5: webhook mode needs the encrypt key (signed deliveries) unless the operator sets
``feishu.allow_unsigned: true``; then the timestamp window and a replay check still hold."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.app import create_app
from config.settings import ConfigError, load_settings
from sandbox.feishu import FakePlatform
from tests.conftest import VERIFICATION_TOKEN, RunningBot, bot_settings, start_bot
from tests.in_process_cli import cloudops

UNSIGNED_ENV = {
    "PATH": "/usr/bin:/bin",
    "FEISHU_APP_ID": "cli_x",
    "FEISHU_APP_SECRET": "app-secret-value",
    "FEISHU_VERIFICATION_TOKEN": "verification-token-value",
    "FEISHU_DOMAIN": "http://127.0.0.1:9",
}


def test_serve_refuses_webhook_mode_without_an_encrypt_key_in_one_line(tmp_path: Path) -> None:
    env = {**UNSIGNED_ENV, "CLOUDOPS_DATA_DIR": str(tmp_path)}
    result = cloudops("serve", env=env)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "FEISHU_ENCRYPT_KEY" in result.stderr and "feishu.allow_unsigned" in result.stderr
    assert "app-secret-value" not in result.stderr


def test_create_app_refuses_too(platform: FakePlatform, db_url: str) -> None:
    settings = load_settings({**UNSIGNED_ENV, "DATABASE_URL": db_url})
    with pytest.raises(ConfigError, match="FEISHU_ENCRYPT_KEY"):
        create_app(settings)


@pytest.mark.parametrize("spelling", ['"true"', "1", '"yes"'])
def test_only_a_real_true_allows_unsigned(tmp_path: Path, spelling: str) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(f"feishu:\n  allow_unsigned: {spelling}\n")
    with pytest.raises(ConfigError, match="allow_unsigned"):
        load_settings({**UNSIGNED_ENV, "CLOUDOPS_CONFIG": str(config)})


def test_allow_unsigned_true_starts(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("feishu:\n  allow_unsigned: true\n")
    load_settings({**UNSIGNED_ENV, "CLOUDOPS_CONFIG": str(config)}).require_feishu()


def test_long_connection_needs_no_encrypt_key() -> None:
    load_settings({**UNSIGNED_ENV, "FEISHU_TRANSPORT": "longconn"}).require_feishu()


def test_a_plain_unsigned_click_is_refused_by_a_signed_bot(bot: RunningBot) -> None:
    envelope = bot.sender.card_envelope({"action": "no_such_action"})
    response = httpx.post(bot.sender.url, json=envelope)
    assert response.status_code == 401
    assert response.json() == {"msg": "unsigned"}


@pytest.fixture
def unsigned_bot(
    platform: FakePlatform, db_url: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> Iterator[tuple[RunningBot, str]]:
    config = tmp_path / "unsigned.yaml"
    config.write_text("feishu:\n  allow_unsigned: true\n")
    capfd.readouterr()
    settings = bot_settings(platform, db_url, CLOUDOPS_CONFIG=str(config))
    settings.feishu_encrypt_key = None
    running = start_bot(platform, db_url, settings=settings)
    yield running, capfd.readouterr().out
    running.stop()


def _post_plain(bot: RunningBot, envelope: dict[str, object], stamp: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if stamp is not None:
        headers["X-Lark-Request-Timestamp"] = stamp
    body = json.dumps(envelope).encode()
    return httpx.post(bot.sender.url, content=body, headers=headers)


def test_allow_unsigned_warns_at_start(unsigned_bot: tuple[RunningBot, str]) -> None:
    _, started_output = unsigned_bot
    assert "feishu_unsigned_accepted" in started_output


def test_unsigned_click_runs_once_and_its_replay_is_refused(
    unsigned_bot: tuple[RunningBot, str],
) -> None:
    bot, _ = unsigned_bot
    envelope = bot.sender.card_envelope({"action": "no_such_action"})
    now = str(int(time.time()))
    first = _post_plain(bot, envelope, now)
    assert first.status_code == 200 and "toast" in first.json()
    replay = _post_plain(bot, envelope, now)
    assert replay.status_code == 409 and replay.json() == {"msg": "replayed"}


def test_unsigned_timestamp_1_is_refused(unsigned_bot: tuple[RunningBot, str]) -> None:
    bot, _ = unsigned_bot
    response = _post_plain(bot, bot.sender.card_envelope({"action": "x"}), "1")
    assert response.status_code == 401 and response.json() == {"msg": "stale_timestamp"}


def test_unsigned_stale_create_time_is_refused_without_a_header(
    unsigned_bot: tuple[RunningBot, str],
) -> None:
    bot, _ = unsigned_bot
    envelope = bot.sender.card_envelope({"action": "x"})
    envelope["header"]["create_time"] = str(int((time.time() - 3600) * 1000))  # type: ignore[index]
    assert _post_plain(bot, envelope, None).status_code == 401


def test_unsigned_message_with_a_wrong_token_is_refused(
    unsigned_bot: tuple[RunningBot, str],
) -> None:
    bot, _ = unsigned_bot
    envelope = bot.sender.message_envelope("/help", chat_id="oc_forged")
    envelope["header"]["token"] = "forged-" + VERIFICATION_TOKEN
    response = _post_plain(bot, envelope, str(int(time.time())))
    assert response.status_code == 401
    bot.settle(post=lambda sentinel: _post_plain(bot, sentinel, str(int(time.time()))))
    assert bot.bot_messages("oc_forged") == []


def test_unsigned_help_is_answered(unsigned_bot: tuple[RunningBot, str]) -> None:
    bot, _ = unsigned_bot
    envelope = bot.sender.message_envelope("/help", chat_id="oc_unsigned")
    assert _post_plain(bot, envelope, str(int(time.time()))).status_code == 200
    assert bot.wait_for(lambda: bot.bot_messages("oc_unsigned"))
