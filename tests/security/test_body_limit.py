"""Point 1: bodies are bounded on every endpoint, refused with 413 before they are read,
and the bot keeps answering while it refuses them."""

from __future__ import annotations

import threading

import httpx
import pytest

from sandbox.feishu import FakePlatform
from tests.conftest import RunningBot, start_bot
from tests.security.wire import open_request, read_answer, stream_chunked

TWENTY_MB = 20 * 1024 * 1024


@pytest.fixture
def small_limit_bot(platform: FakePlatform, db_url: str, tmp_path) -> RunningBot:  # type: ignore[no-untyped-def]
    config = tmp_path / "limit.yaml"
    config.write_text("server:\n  max_body_bytes: 2048\n")
    running = start_bot(platform, db_url, CLOUDOPS_CONFIG=str(config))
    yield running
    running.stop()


@pytest.mark.parametrize("path", ["/feishu/events", "/alertmanager", "/api/v1/rca", "/healthz"])
def test_a_declared_20_mb_body_is_refused_before_it_is_sent(bot: RunningBot, path: str) -> None:
    # Only the headers and 1 KB of the 20 MB go out: the 413 must come without the rest.
    headers = {"Content-Type": "application/json", "Content-Length": str(TWENTY_MB)}
    sock = open_request(bot.server.port, path, headers, b"{" + b" " * 1023)
    try:
        answer = read_answer(sock)
    finally:
        sock.close()
    assert answer.status == 413
    assert b"body_too_large" in answer.body
    assert "connection: close" in answer.head.lower()


def test_a_streamed_body_is_cut_off_at_the_limit(bot: RunningBot) -> None:
    answer, sent = stream_chunked(bot.server.port, "/feishu/events", TWENTY_MB)
    assert answer.status == 413
    assert sent < TWENTY_MB  # the server answered long before the client was done


def test_the_limit_is_configurable(small_limit_bot: RunningBot) -> None:
    url = f"{small_limit_bot.url}/feishu/events"
    headers = {"Content-Type": "application/json"}
    assert httpx.post(url, content=b"{" + b" " * 4000 + b"}", headers=headers).status_code == 413
    # Under the limit the body reaches the webhook (which refuses it for its own reasons).
    assert httpx.post(url, content=b"{}", headers=headers).status_code not in (413, 500)


def test_alertmanager_has_its_own_larger_limit(bot: RunningBot) -> None:
    """An Alertmanager group of many alerts can exceed 64 KiB: that path allows 2 MiB."""
    body = b'{"alerts": [' + b" " * 200_000 + b"]}"
    response = httpx.post(f"{bot.url}/alertmanager", content=body)
    assert response.status_code != 413  # it reached the route (which wants its token)
    assert httpx.post(f"{bot.url}/feishu/events", content=body).status_code == 413


def test_health_answers_while_20_mb_posts_are_refused(bot: RunningBot) -> None:
    statuses: list[int] = []
    stop = threading.Event()

    def flood() -> None:
        body = b"[" * TWENTY_MB
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                try:
                    statuses.append(
                        client.post(f"{bot.url}/feishu/events", content=body).status_code
                    )
                except httpx.TransportError:
                    statuses.append(413)  # the server closed while the client still wrote

    threads = [threading.Thread(target=flood, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        with httpx.Client(timeout=1.0) as client:  # a generous functional bound, not a benchmark
            for _ in range(20):
                assert client.get(f"{bot.url}/healthz").json() == {"status": "ok"}
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    metrics = httpx.get(f"{bot.url}/metrics").text
    assert 'cloudops_events_rejected_total{reason="body_too_large"}' in metrics
