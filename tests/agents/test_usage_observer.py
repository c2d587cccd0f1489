"""Every model call reports its usage (or its failure) to the bot's metrics observer."""

from __future__ import annotations

from typing import Any

import pytest
from autogen_core.models import UserMessage
from autogen_ext.models.replay import ReplayChatCompletionClient

from agents.metered import MeteredClient, Usage


class Broken(ReplayChatCompletionClient):
    async def create(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("endpoint down")


async def test_successful_calls_report_their_usage() -> None:
    seen: list[Usage | None] = []
    client = MeteredClient(ReplayChatCompletionClient(["first", "second"]), seen.append)
    for _ in range(2):
        await client.create([UserMessage(content="hello there", source="user")])
    assert len(seen) == 2 and all(u is not None and u.calls == 1 for u in seen)
    assert client.usage.calls == 2
    assert client.usage.prompt_tokens == sum(u.prompt_tokens for u in seen if u)


async def test_failed_calls_report_none() -> None:
    seen: list[Usage | None] = []
    client = MeteredClient(Broken(["x"]), seen.append)
    with pytest.raises(Exception):  # noqa: B017 - the failover client may wrap the error
        await client.create([UserMessage(content="hello", source="user")])
    assert seen == [None]
