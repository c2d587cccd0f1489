"""Structured JSON logs carry the delivery's ids and never a secret."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
import structlog

from bot.events import IncomingMessage
from bot.logging_setup import configure_logging
from bot.registry import Registry
from bot.router import handle_message


class Boom:
    """A store whose dedupe claim fails, so the router logs inside the bound context."""

    class dedupe:  # noqa: N801 - mimics the Store attribute
        @staticmethod
        async def claim(key: str, kind: str) -> bool:
            structlog.get_logger("test").info("claiming", key=key, api_token="s3cret")
            return False


class FakeServices:
    store = Boom()
    bot_open_id = ""

    class metrics:  # noqa: N801
        class duplicates:  # noqa: N801
            @staticmethod
            def inc() -> None:
                pass


def test_logs_are_json_with_event_ids_and_scrubbed(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    msg = IncomingMessage("ev_1", "om_1", "oc_1", "p2p", "ou_1", "user", "text", "/help")
    asyncio.run(handle_message(msg, FakeServices(), Registry()))  # type: ignore[arg-type]
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    claiming = next(line for line in lines if line["event"] == "claiming")
    assert claiming["event_id"] == "ev_1" and claiming["message_id"] == "om_1"
    assert claiming["chat_id"] == "oc_1"
    assert claiming["api_token"] == "***"
    assert "s3cret" not in json.dumps(lines)
    logging.getLogger().handlers.clear()
