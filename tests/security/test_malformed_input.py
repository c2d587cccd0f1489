"""Point 8: hostile JSON and headers get a 4xx (never a 500), and each refusal is one log
line without a traceback, at a bounded rate (no SDK tracebacks)."""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest

from tests.conftest import RunningBot

DEEP = 1000  # deep enough to break a recursive parser, small enough to pass the size limit


def _wire(value: str) -> bytes:
    """Header bytes as a client may send them: latin-1 where it fits (b"\\xb2" is "²" to
    the server, and "²".isdigit() is True), UTF-8 otherwise."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode()


def _post(bot: RunningBot, body: bytes, **headers: str) -> httpx.Response:
    return bot.sender.post_raw(body, {"Content-Type": "application/json", **headers})


def test_deep_json_is_refused_with_400(bot: RunningBot) -> None:
    response = _post(bot, b"[" * DEEP + b"]" * DEEP)
    assert response.status_code == 400
    assert response.json() == {"msg": "too_deep"}


def test_100k_deep_json_is_refused_with_4xx(bot: RunningBot) -> None:
    response = _post(bot, b"[" * 100_000)
    assert 400 <= response.status_code < 500


def test_deep_json_inside_strings_does_not_count(bot: RunningBot) -> None:
    """Brackets inside strings are text: such a body reaches the SDK (and its token check)."""
    body = json.dumps({"type": "url_verification", "challenge": "[" * 5000, "token": "x"})
    response = _post(bot, body.encode())
    assert response.json() != {"msg": "too_deep"}
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("stamp", ["²", "١٢٣", "1e9", "-1", "9" * 40, ""])
def test_odd_timestamp_headers_are_refused_with_4xx(bot: RunningBot, stamp: str) -> None:
    body, headers = bot.sender.wire(bot.sender.message_envelope("/help"))
    headers["X-Lark-Request-Timestamp"] = stamp
    response = bot.sender.client.post(
        bot.sender.url, content=body, headers={k: _wire(v) for k, v in headers.items()}
    )
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    ("header", "value"),
    [("X-Lark-Request-Nonce", "ï"), ("X-Lark-Signature", "zz"), ("X-Lark-Signature", "")],
)
def test_odd_nonce_and_signature_headers_are_refused(
    bot: RunningBot, header: str, value: str
) -> None:
    body, headers = bot.sender.wire(bot.sender.message_envelope("/help"))
    headers[header] = value
    response = bot.sender.client.post(
        bot.sender.url, content=body, headers={k: _wire(v) for k, v in headers.items()}
    )
    assert response.status_code == 401


def test_missing_signature_headers_on_a_signed_bot_are_refused(bot: RunningBot) -> None:
    body, headers = bot.sender.wire(bot.sender.message_envelope("/help"))
    del headers["X-Lark-Request-Nonce"]
    assert bot.sender.post_raw(body, headers).status_code == 401


def _refusal_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "request_refused" in line]


def test_a_refused_request_logs_one_line_and_no_traceback(
    bot: RunningBot, capfd: pytest.CaptureFixture[str]
) -> None:
    capfd.readouterr()
    body, headers = bot.sender.wire(bot.sender.message_envelope("/help"))
    headers["X-Lark-Signature"] = "0" * 64  # well formed, wrong: the SDK refuses it
    assert bot.sender.post_raw(body, headers).status_code == 401
    output = _wait_for_output(capfd, "request_refused", bot)
    assert len(_refusal_lines(output)) == 1
    assert "bad_signature" in _refusal_lines(output)[0]
    assert "Traceback" not in output and "handle event failed" not in output


def test_refusal_lines_are_rate_limited_but_all_counted(
    bot: RunningBot, capfd: pytest.CaptureFixture[str]
) -> None:
    capfd.readouterr()
    for _ in range(40):
        assert _post(bot, b"{not json").status_code == 400
    output = _wait_for_output(capfd, "request_refused", bot)
    assert 1 <= len(_refusal_lines(output)) <= 11  # a burst of 10, then held back
    metrics = bot.sender.client.get(f"{bot.url}/metrics").text
    match = re.search(r'cloudops_events_rejected_total\{reason="malformed"\} (\S+)', metrics)
    assert match and float(match.group(1)) == 40


def _wait_for_output(capfd: pytest.CaptureFixture[str], needle: str, bot: RunningBot) -> str:
    """The log is written by the server thread: poll until the line shows (or give up).

    Then a sentinel instead of a sleep: the same delivery posted twice logs
    "duplicate_dropped" in the worker, after everything the requests before it logged
    (a refusal is logged before its response), so any second, unwanted line is in too."""
    collected = _poll(capfd, needle, "")
    if needle not in collected:
        return collected
    envelope = bot.sender.message_envelope("/help", chat_id="oc_log_sentinel")
    for _ in range(2):
        assert bot.sender.post(envelope).status_code == 200
    collected = _poll(capfd, "duplicate_dropped", collected)
    assert "duplicate_dropped" in collected, "the sentinel was never logged"
    return collected


def _poll(capfd: pytest.CaptureFixture[str], needle: str, collected: str) -> str:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        collected += capfd.readouterr().out
        if needle in collected:
            return collected
        time.sleep(0.02)
    return collected
