"""The messenger through the real lark-oapi client against the fake open platform."""

from __future__ import annotations

import asyncio
import json

from bot.messenger import FeishuError, Messenger
from bot.metrics import Metrics
from sandbox.feishu import FakePlatform


def _messenger(platform: FakePlatform, qps: float = 50) -> Messenger:
    return Messenger.create(platform.app_id, platform.app_secret, platform.url, Metrics(), qps)


def test_send_patch_and_upload(platform: FakePlatform) -> None:
    async def scenario() -> None:
        messenger = _messenger(platform)
        card = {"schema": "2.0", "body": {"elements": [{"tag": "markdown", "content": "v1"}]}}
        message_id = await messenger.send("oc_m", card, uuid="u-1")
        card["body"]["elements"][0]["content"] = "v2"
        await messenger.patch(message_id, card)
        image_key = await messenger.upload_image(b"\x89PNG fake bytes", "chart.png")
        assert image_key.startswith("img_")
        assert await messenger.bot_open_id() == platform.bot_open_id
        stored = platform.ledger.messages[message_id]
        assert stored.content["body"]["elements"][0]["content"] == "v2"
        assert len(stored.versions) == 1

    asyncio.run(scenario())


def test_the_same_uuid_sends_once(platform: FakePlatform) -> None:
    async def scenario() -> None:
        messenger = _messenger(platform)
        first = await messenger.send("oc_u", "hello", uuid="same-logical-send")
        second = await messenger.send("oc_u", "hello", uuid="same-logical-send")
        assert first == second
        assert len(platform.ledger.sent("oc_u")) == 1

    asyncio.run(scenario())


def test_private_send_by_open_id(platform: FakePlatform) -> None:
    async def scenario() -> None:
        messenger = _messenger(platform)
        await messenger.send("ou_someone", "hi", id_type="open_id")
        call = platform.ledger.calls("POST", "/open-apis/im/v1/messages")[-1]
        assert call.query["receive_id_type"] == "open_id"
        assert json.loads(call.body["content"]) == {"text": "hi"}

    asyncio.run(scenario())


def test_per_chat_pacing_spaces_sends(platform: FakePlatform) -> None:
    async def scenario() -> float:
        messenger = _messenger(platform, qps=5)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.gather(*(messenger.send("oc_pace", f"m{i}") for i in range(6)))
        return loop.time() - started

    # six sends at 5 per second need at least one second between the first and the last
    assert asyncio.run(scenario()) >= 0.95


def test_persistent_5xx_gives_up_with_a_typed_error(platform: FakePlatform) -> None:
    async def scenario() -> None:
        messenger = _messenger(platform)
        messenger.max_wait = 0.05
        platform.fail_next("/messages", status=503, code=1, times=10)
        try:
            await messenger.send("oc_5xx", "x")
        except FeishuError as exc:
            assert exc.status == 503
        else:
            raise AssertionError("expected FeishuError")
        assert len(platform.ledger.calls("POST", "/open-apis/im/v1/messages")) == 5

    asyncio.run(scenario())


def test_network_errors_are_retried_then_reported() -> None:
    from bot.serving import free_port

    async def scenario() -> Metrics:
        metrics = Metrics()
        closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
        messenger = Messenger.create("cli_unreachable", "secret", closed, metrics, 50)
        messenger.max_wait = 0.01
        try:
            await messenger.send("oc_x", "hello", uuid="u-net")
        except FeishuError:
            return metrics
        raise AssertionError("expected FeishuError")

    metrics = asyncio.run(scenario())
    assert 'cloudops_feishu_api_errors_total{code="network"} 5.0' in metrics.render().decode()


def test_a_file_message_is_read_and_downloaded_with_retries(platform: FakePlatform) -> None:
    async def scenario() -> None:
        messenger = _messenger(platform)
        messenger.max_wait = 0.05
        platform.add_file("om_file", "file_v2_k", "runbook.md", b"# Runbook\n")
        assert await messenger.message_content("om_file") == (
            "file",
            {"file_key": "file_v2_k", "file_name": "runbook.md"},
        )
        platform.fail_next("/resources/", status=503, code=1, times=2)
        assert await messenger.download_file("om_file", "file_v2_k") == b"# Runbook\n"
        assert len(platform.ledger.calls("GET", "/resources/file_v2_k")) == 3
        try:
            await messenger.download_file("om_file", "file_v2_missing")
        except FeishuError as exc:
            assert exc.status == 400  # not retried: a missing file stays missing
        else:
            raise AssertionError("expected FeishuError")

    asyncio.run(scenario())
