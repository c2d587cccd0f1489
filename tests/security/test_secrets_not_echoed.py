"""Point 4: credentials never come back in a card, a REST body, a health detail or a log,
even when the Prometheus URL carries them."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest
import structlog

from bot.app.capabilities import prometheus_capability
from bot.app.rest.rca import rca_api
from bot.logging_setup import configure_logging
from config.scrub import register_secrets, scrub
from sandbox.feishu import FakePlatform
from tests.conftest import RunningBot, start_bot

PASSWORD = "Pr0m-S3cret-pw"
# Nothing listens on port 9: Prometheus is down, and its URL carries a password.
PROMETHEUS_URL = f"http://promuser:{PASSWORD}@127.0.0.1:9"


@pytest.fixture
def leaky_bot(platform: FakePlatform, db_url: str) -> Iterator[RunningBot]:
    running = start_bot(
        platform,
        db_url,
        capabilities=[prometheus_capability, rca_api],
        PROMETHEUS_URL=PROMETHEUS_URL,
        CLOUDOPS_API_TOKEN="api-token-secret-1",
    )
    yield running
    running.stop()


def _final_card(bot: RunningBot, chat_id: str) -> str:
    """The /rca card once it is no longer the working card (patched in place)."""

    def done() -> str | None:
        for message in bot.bot_messages(chat_id):
            text = json.dumps(message.content, ensure_ascii=False)
            if "unreachable" in text:
                return text
        return None

    text: str = bot.wait_for(done)
    return text


def test_rca_error_card_names_prometheus_but_not_the_password(
    leaky_bot: RunningBot, capfd: pytest.CaptureFixture[str]
) -> None:
    leaky_bot.sender.say("/rca payments", chat_id="oc_leak")
    card = _final_card(leaky_bot, "oc_leak")
    assert "Prometheus" in card and "127.0.0.1:9" in card
    assert PASSWORD not in card and "promuser" not in card
    assert PASSWORD not in capfd.readouterr().out


def test_rest_502_body_has_no_password(leaky_bot: RunningBot) -> None:
    response = httpx.post(
        f"{leaky_bot.url}/api/v1/rca",
        json={"service": "payments", "window": "30m"},
        headers={"Authorization": "Bearer api-token-secret-1"},
        timeout=30,
    )
    assert response.status_code == 502
    assert "Prometheus" in response.text
    assert PASSWORD not in response.text and "api-token-secret-1" not in response.text


def test_health_detail_has_no_password(leaky_bot: RunningBot) -> None:
    health = httpx.get(f"{leaky_bot.url}/healthz", params={"verbose": "1"}).json()
    detail = health["dependencies"]["prometheus"]
    assert detail["up"] is False and "127.0.0.1:9" in detail["detail"]
    assert PASSWORD not in json.dumps(health)


@pytest.fixture
def json_logs() -> Iterator[None]:
    configure_logging("INFO")
    yield
    logging.getLogger().handlers.clear()
    structlog.reset_defaults()


def test_logs_scrub_values_exceptions_and_stdlib_records(
    caplog: pytest.LogCaptureFixture, json_logs: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """structlog events go to stdout; standard-library records to the root handlers (here
    pytest's capture handler, which configure_logging found in place and filtered)."""
    register_secrets(["configured-app-secret-42"])
    log = structlog.get_logger("test")
    try:
        raise RuntimeError(f"cannot reach {PROMETHEUS_URL}/api/v1/query")
    except RuntimeError:
        log.exception("query_failed", url=PROMETHEUS_URL, note="configured-app-secret-42 leaked")
    logging.getLogger("some.library").warning("GET %s failed", PROMETHEUS_URL)
    captured = capsys.readouterr()
    output = captured.out + captured.err + caplog.text
    assert "query_failed" in output
    assert "cannot reach http://***@127.0.0.1:9" in output  # the traceback, scrubbed
    assert "GET http://***@127.0.0.1:9 failed" in output  # the stdlib record, scrubbed
    assert PASSWORD not in output
    assert "configured-app-secret-42" not in output


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Prometheus at https://u:pw-123456@prom:9090 is unreachable", "pw-123456"),
        ("redis://:r3dis-pw@redis:6379/0", "r3dis-pw"),
        ("https://ghp_token123456@github.com/x.git", "ghp_token123456"),
        ("Authorization: Bearer abcdefghijkl", "abcdefghijkl"),
        ("authorization=Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        ("GET /q?query=up&access_token=tok-987654&x=1", "tok-987654"),
        ("GET /search?api_key=tvly-123456", "tvly-123456"),
    ],
)
def test_scrub_masks_credential_shapes(text: str, secret: str) -> None:
    assert secret not in scrub(text)
    assert "***" in scrub(text)


def test_scrub_masks_registered_secret_values_and_keeps_the_rest() -> None:
    register_secrets(["tenant-value-77aa", None, "x"])  # too short or empty: ignored
    assert scrub("code 99991663 with tenant-value-77aa") == "code 99991663 with ***"
    assert scrub("x marks the spot") == "x marks the spot"
    plain = "Prometheus at http://prom:9090 is unreachable: connection failed"
    assert scrub(plain) == plain


def test_settings_register_every_secret_they_hold(platform: FakePlatform, db_url: str) -> None:
    from tests.conftest import bot_settings

    settings = bot_settings(
        platform,
        db_url,
        PROMETHEUS_URL=PROMETHEUS_URL,
        REDIS_URL="redis://:redis-pw-1234@127.0.0.1:6379/0",
    )
    values = settings.secret_values({"LLM_API_KEY": "sk-llm-key-1", "TAVILY_API_KEY": "tvly-2"})
    for wanted in (platform.app_secret, PASSWORD, "redis-pw-1234", "sk-llm-key-1", "tvly-2"):
        assert wanted in values


def test_lark_sdk_records_are_scrubbed(json_logs: None) -> None:
    """lark-oapi logs through its own stdout handler, outside the root logger's handlers."""
    import lark_oapi  # noqa: F401 - installs the SDK's handler

    [handler] = [
        h for h in logging.getLogger("Lark").handlers if isinstance(h, logging.StreamHandler)
    ]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        logging.getLogger("Lark").error("connect failed: wss://ws.example/ws?ticket=tkt-123456&x=1")
    finally:
        handler.setStream(previous)  # type: ignore[arg-type]
    assert "connect failed" in buffer.getvalue()
    assert "tkt-123456" not in buffer.getvalue()
