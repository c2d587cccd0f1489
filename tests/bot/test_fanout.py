"""bot.fanout: every cluster's outcome, in the order asked, whatever the others do."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from bot.fanout import Answered, Failed, TimedOut, fan_out, short_cause
from bot.messenger import Messenger
from bot.metrics import Metrics
from bot.services import Services
from config.settings import load_settings

NAMES = ["east", "west", "north"]


@pytest.fixture
def services(tmp_path: Path) -> Services:
    config = tmp_path / "cloudops.yaml"
    config.write_text(yaml.safe_dump({"clusters": [{"name": n} for n in NAMES]}))
    settings = load_settings({"CLOUDOPS_CONFIG": str(config)})
    messenger = Messenger.create("cli_x", "secret", "http://127.0.0.1:9", Metrics())
    return Services(settings, None, messenger, Metrics())  # type: ignore[arg-type]  # no store


async def test_a_slow_cluster_times_out_while_the_others_answer(services: Services) -> None:
    never = asyncio.Event()

    async def work(scoped: Services) -> str:
        if scoped.cluster_name == "west":
            await never.wait()  # an API server that accepts and never answers
        if scoped.cluster_name == "north":
            raise ConnectionRefusedError(111, "Connection refused")
        return f"answer of {scoped.cluster_name}"

    outcomes = await asyncio.wait_for(fan_out(services, NAMES, work, 0.2), 10)

    assert outcomes == [
        Answered("east", "answer of east"),
        TimedOut("west", 0.2),
        Failed("north", "Connection refused", "ConnectionRefusedError"),
    ]


async def test_outcomes_keep_the_order_asked_not_the_order_answered(services: Services) -> None:
    async def work(scoped: Services) -> str:
        await asyncio.sleep(0.05 if scoped.cluster_name == "east" else 0)
        return scoped.cluster_name

    outcomes = await fan_out(services, ["east", "north"], work, 5)
    assert outcomes == [Answered("east", "east"), Answered("north", "north")]


async def test_an_unknown_cluster_is_a_failure_of_its_own(services: Services) -> None:
    async def work(scoped: Services) -> str:
        return scoped.cluster_name

    outcomes = await fan_out(services, ["ghost", "east"], work, 5)
    assert outcomes[1] == Answered("east", "east")
    assert isinstance(outcomes[0], Failed) and outcomes[0].error_type == "UnknownCluster"


def test_a_cause_is_scrubbed_one_line_and_short() -> None:
    error = RuntimeError("bad\n token Authorization: Bearer abc.def.ghi " + "x" * 400)
    cause = short_cause(error)
    assert "abc.def.ghi" not in cause and "\n" not in cause
    assert len(cause) <= 160
    buried = OSError("MaxRetryError(... NewConnectionError('<c>: [Errno 111] Connection refused'))")
    assert short_cause(buried) == "Connection refused"
    assert short_cause(TimeoutError()) == "TimeoutError"
