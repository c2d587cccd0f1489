"""Per-run usage: wrap the shared client so one request's tokens can be reported."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from autogen_core import CancellationToken
from autogen_core.models import ChatCompletionClient, CreateResult, LLMMessage
from autogen_core.tools import Tool, ToolSchema
from pydantic import BaseModel

from agents.failover import FailoverChatCompletionClient

__all__ = ["Usage", "MeteredClient"]


@dataclass(frozen=True)
class Usage:
    """Tokens one request cost, summed over its model calls."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.calls + other.calls,
        )


UsageObserver = Callable[["Usage | None"], None]
"""Told about every model call: its usage, or None when the call failed (bot metrics)."""


class MeteredClient(FailoverChatCompletionClient):
    """Delegates to one client and adds up what each successful call cost."""

    def __init__(self, inner: ChatCompletionClient, observer: UsageObserver | None = None) -> None:
        super().__init__([inner], ["metered"])
        self.usage = Usage()
        self._observer = observer

    async def create(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[Tool | ToolSchema] = [],
        tool_choice: Tool | Literal["auto", "required", "none"] = "auto",
        json_output: bool | type[BaseModel] | None = None,
        extra_create_args: Mapping[str, Any] = {},
        cancellation_token: CancellationToken | None = None,
    ) -> CreateResult:
        try:
            result = await super().create(
                messages,
                tools=tools,
                tool_choice=tool_choice,
                json_output=json_output,
                extra_create_args=extra_create_args,
                cancellation_token=cancellation_token,
            )
        except Exception:
            if self._observer is not None:
                self._observer(None)
            raise
        used = Usage(result.usage.prompt_tokens, result.usage.completion_tokens, 1)
        self.usage = self.usage + used
        if self._observer is not None:
            self._observer(used)
        return result
