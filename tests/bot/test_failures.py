"""A failure after the "working" card patches that card (never a second card) and names
its cause: the dependency and since when, or that the command hit an internal error."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

import pytest

from bot.access import Requires, Role
from bot.app.capabilities import prometheus_capability
from bot.cards.notices import working_card
from bot.context import Context
from bot.registry import DependencyError, Registry, Skill
from sandbox.feishu import FakePlatform
from tests.conftest import RunningBot, start_bot

SECRET = "Traceback psycopg.OperationalError password=hunter2"


async def _boom(_request: None, ctx: Context) -> None:
    await ctx.working(working_card(ctx.lang, "boom"))
    raise RuntimeError(SECRET)


async def _down(_request: None, ctx: Context) -> None:
    await ctx.working(working_card(ctx.lang, "down"))
    raise DependencyError("Prometheus", "unreachable")


def _skill(name: str, handle: object) -> Skill:
    return Skill(name, "help.usage", "help.summary", handle, access=Requires(Role.viewer))  # type: ignore[arg-type]


def _registry() -> Registry:
    registry = Registry()
    registry.add_skill(_skill("boom", _boom))
    registry.add_skill(_skill("down", _down))
    return registry


@pytest.fixture
def failing_bot(platform: FakePlatform, db_url: str) -> Iterator[RunningBot]:
    bot = start_bot(platform, db_url, registry=_registry())
    bot.runtime.services.clock = lambda: datetime(2026, 12, 3, 6, 2, tzinfo=UTC)
    yield bot
    bot.stop()


def _patched(bot: RunningBot, chat: str) -> list[object]:
    def done() -> Sequence[object] | None:
        sent = bot.bot_messages(chat)
        return sent if sent and sent[0].versions else None

    return list(bot.wait_for(done, 15))


def test_an_internal_error_patches_the_working_card_and_hides_the_exception(
    failing_bot: RunningBot,
) -> None:
    failing_bot.sender.say("/boom", chat_id="oc_boom")
    (message,) = _patched(failing_bot, "oc_boom")
    text = json.dumps(message.content, ensure_ascii=False)
    assert message.content["header"]["template"] == "carmine"
    assert "/boom" in text
    assert "RuntimeError" not in text and "hunter2" not in text and "Traceback" not in text


def test_a_dependency_failure_says_since_when(failing_bot: RunningBot) -> None:
    failing_bot.sender.say("/down", chat_id="oc_down1")
    (first,) = _patched(failing_bot, "oc_down1")
    failing_bot.runtime.services.clock = lambda: datetime(2026, 12, 3, 6, 9, tzinfo=UTC)
    failing_bot.sender.say("/down", chat_id="oc_down2")
    (second,) = _patched(failing_bot, "oc_down2")
    for message in (first, second):
        text = json.dumps(message.content, ensure_ascii=False)
        assert "Prometheus" in text
        # the first failure (06:02 UTC in the default timezone), not this one (06:09)
        assert re.search(r"(自|since).*14:02", text), text


def test_forecast_with_prometheus_down_patches_its_working_card(
    platform: FakePlatform, db_url: str
) -> None:
    bot = start_bot(
        platform, db_url, capabilities=[prometheus_capability], PROMETHEUS_URL="http://127.0.0.1:9"
    )
    try:
        bot.sender.say("/forecast payments", chat_id="oc_fc")
        messages = _patched(bot, "oc_fc")
        assert len(messages) == 1
        assert "Prometheus" in json.dumps(messages[0].content, ensure_ascii=False)
    finally:
        bot.stop()
