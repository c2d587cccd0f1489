"""Fixtures of the push tests: a frozen clock, a store, a messenger on the fake platform."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bot.app import Capability, CapabilityParts
from bot.messenger import Messenger
from bot.metrics import Metrics
from bot.registry import Registry
from bot.services import Services
from bot.serving import ThreadedServer
from bot.state import Store, open_store
from sandbox.feishu import FakePlatform


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


class SyntheticSource:
    """A stand-in for PrometheusSource (same ``fetch``/``query_range_expr`` contract):
    a daily request-rate cycle, 4 ready pods, and a latency spike at ``spike_at``."""

    def __init__(self, spike_at: datetime | None = None, step_seconds: int = 2025) -> None:
        self.spike_at = spike_at
        self.step = step_seconds
        self.calls: list[tuple[str, datetime, datetime]] = []

    def _times(self, start: datetime, end: datetime, step: int) -> pd.DatetimeIndex:
        first = int(start.timestamp()) // step * step + step
        return pd.to_datetime(np.arange(first, int(end.timestamp()) + 1, step), unit="s", utc=True)

    def fetch(self, service: str, namespace: str, start: datetime, end: datetime) -> pd.DataFrame:
        self.calls.append((service, start, end))
        step = self.step if end - start > timedelta(days=2) else 60
        times = self._times(start, end, step)
        seconds = times.asi8 / 1e9
        rng = np.random.default_rng(int(seconds[0]) % 1000)
        qps = 100 + 60 * np.sin(2 * np.pi * seconds / 86400) + rng.normal(0, 2, len(times))
        latency = 0.2 + rng.normal(0, 0.005, len(times))
        if self.spike_at is not None:
            latency[times >= pd.Timestamp(self.spike_at)] += 2.0
        rows = [
            pd.DataFrame(
                {"timestamp": times, "entity": service, "metric": "request_rate", "value": qps}
            ),
            pd.DataFrame(
                {
                    "timestamp": times,
                    "entity": service,
                    "metric": "latency_p99_seconds",
                    "value": latency,
                }
            ),
        ]
        rows += [
            pd.DataFrame(
                {
                    "timestamp": times,
                    "entity": f"{service}-7d9f8c6b5-pod{i}",
                    "metric": "ready",
                    "value": 1.0,
                }
            )
            for i in range(4)
        ]
        frame = pd.concat(rows, ignore_index=True)
        frame.attrs["step"] = float(step)
        return frame

    def query_range_expr(self, expr: str, start: datetime, end: datetime) -> pd.DataFrame:
        self.calls.append((expr, start, end))
        times = self._times(start, end, 60)
        values = np.linspace(0.5, 2.5, len(times))
        return pd.DataFrame(
            {
                "timestamp": times,
                "entity": '{pod="payments-7c9d5-b2"}',
                "metric": expr,
                "value": values,
            }
        )


def push_registry() -> Registry:
    """The default skills, which include the push skills."""
    from bot.app.skills import default_registry

    return default_registry()


def with_source(source: object) -> Capability:
    def capability(services: Services) -> CapabilityParts:
        services.prometheus = source
        return CapabilityParts()

    return capability


@dataclass
class FakeAlertmanager:
    """A loopback Alertmanager API that records the silences it is asked for."""

    silences: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/api/v2/silences")
        async def create(request: Request) -> JSONResponse:
            body = await request.json()
            self.silences.append(body)
            return JSONResponse({"silenceID": f"s-{len(self.silences)}"}, self.status)

        return app


@pytest.fixture
def alertmanager() -> Iterator[tuple[str, FakeAlertmanager]]:
    fake = FakeAlertmanager()
    with ThreadedServer(fake.app()) as server:
        yield server.url, fake
