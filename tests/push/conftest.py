"""Fixtures of the push tests: a frozen clock, a store, a messenger on the fake platform."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.fake_platform import FakePlatform
from bot.messenger import Messenger
from bot.metrics import Metrics
from bot.state import Store, open_store


class FrozenClock:
    """A clock that only moves when told to."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 3, 2, 0, 0, tzinfo=UTC))  # a Monday, 08:00 in Shanghai


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    yield opened
    opened.close()


def messenger_for(platform: FakePlatform) -> Messenger:
    return Messenger.create(platform.app_id, platform.app_secret, platform.url, Metrics())
