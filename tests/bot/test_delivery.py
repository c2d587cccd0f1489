"""Exactly-once and resilience: restarts, rate limits, token expiry, a full queue."""

from __future__ import annotations

from sandbox.feishu import FakePlatform
from tests.conftest import start_bot


def test_redelivery_after_a_restart_runs_nothing(platform: FakePlatform, db_url: str) -> None:
    first = start_bot(platform, db_url)
    envelope = first.sender.message_envelope("/help", chat_id="oc_restart")
    assert first.sender.post(envelope).status_code == 200
    first.wait_for(lambda: first.bot_messages("oc_restart"))
    first.stop()

    second = start_bot(platform, db_url)  # same database, new process state
    try:
        for _ in range(3):
            assert second.sender.post(envelope).status_code == 200
        second.settle()
        assert len(second.bot_messages("oc_restart")) == 1
    finally:
        second.stop()


def test_rate_limited_then_ok_sends_exactly_one_message(platform: FakePlatform, db_url: str):
    bot = start_bot(platform, db_url)
    try:
        platform.fail_next("/messages", status=429, code=99991400, times=1)
        bot.sender.say("/help", chat_id="oc_429")
        bot.wait_for(lambda: len(platform.ledger.calls("POST", "/reply")) >= 2)
        bot.settle()
        assert len(bot.bot_messages("oc_429")) == 1
        attempts = platform.ledger.calls("POST", "/reply")
        assert [r.status for r in attempts] == [429, 200]
    finally:
        bot.stop()


def test_messaging_rate_limit_code_230020_is_retried(platform: FakePlatform, db_url: str):
    bot = start_bot(platform, db_url)
    try:
        platform.fail_next("/messages", status=400, code=230020, times=2)
        bot.sender.say("/help", chat_id="oc_230020")
        bot.wait_for(lambda: bot.bot_messages("oc_230020"))
        # the fake records a request after storing its message: wait for the record too
        bot.wait_for(lambda: len(platform.ledger.calls("POST", "/reply")) >= 3)
        bot.settle()
        assert len(platform.ledger.calls("POST", "/reply")) == 3
    finally:
        bot.stop()


def test_expired_token_is_refreshed_once(platform: FakePlatform, db_url: str) -> None:
    bot = start_bot(platform, db_url)
    try:
        bot.sender.say("/help", chat_id="oc_tok1")
        bot.wait_for(lambda: bot.bot_messages("oc_tok1"))
        issued = platform.ledger.tokens_issued
        platform.expire_tokens()
        bot.sender.say("/help", chat_id="oc_tok2")
        bot.wait_for(lambda: bot.bot_messages("oc_tok2"))
        assert platform.ledger.tokens_issued == issued + 1
    finally:
        bot.stop()


def test_client_errors_are_not_retried(platform: FakePlatform, db_url: str) -> None:
    bot = start_bot(platform, db_url)
    try:
        platform.fail_next("/messages", status=400, code=230001, times=5)
        bot.sender.say("/help", chat_id="oc_400")
        bot.wait_for(lambda: platform.ledger.calls("POST", "/reply"))
        with platform.ledger.lock:  # the sentinel's send must not count as an error
            platform.ledger.faults.clear()
        bot.settle()
        assert len(platform.ledger.calls("POST", "/reply")) == 1
        metrics = bot.sender.client.get(f"{bot.url}/metrics").text
        assert 'cloudops_feishu_api_errors_total{code="230001"} 1.0' in metrics
    finally:
        bot.stop()
