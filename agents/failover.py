"""A ChatCompletionClient that tries its endpoints in order on transient failures."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Any, Literal

import httpx
import openai
from autogen_core import CancellationToken
from autogen_core.models import (
    ChatCompletionClient,
    CreateResult,
    LLMMessage,
    ModelCapabilities,
    ModelInfo,
    RequestUsage,
)
from autogen_core.tools import Tool, ToolSchema
from pydantic import BaseModel

__all__ = ["FailoverChatCompletionClient", "is_transient", "AllEndpointsFailed"]

log = logging.getLogger(__name__)


class AllEndpointsFailed(Exception):
    """Every endpoint failed with a transient error; ``failures`` names them (no secrets)."""

    def __init__(self, failures: list[tuple[str, BaseException]]) -> None:
        self.failures = failures
        text = "; ".join(f"{label}: {type(error).__name__}" for label, error in failures)
        super().__init__(f"all LLM endpoints failed ({text})")

    @property
    def timed_out(self) -> bool:
        return all(_is_timeout(error) for _, error in self.failures)


def _is_timeout(error: BaseException) -> bool:
    return isinstance(error, openai.APITimeoutError | asyncio.TimeoutError | httpx.TimeoutException)


def is_transient(error: BaseException) -> bool:
    """Worth trying another endpoint: timeouts, connection errors, 429 and 5xx."""
    if isinstance(error, openai.APIConnectionError | asyncio.TimeoutError | httpx.TransportError):
        return True
    if isinstance(error, openai.APIStatusError):
        return error.status_code == 429 or error.status_code >= 500
    return False


class FailoverChatCompletionClient(ChatCompletionClient):
    """Delegates to ``clients[0]``; on a transient error, to the next one, and so on."""

    def __init__(self, clients: Sequence[ChatCompletionClient], labels: Sequence[str]) -> None:
        if not clients or len(clients) != len(labels):
            raise ValueError("give one label per client, and at least one client")
        self._clients = list(clients)
        self._labels = list(labels)
        self.last_label: str | None = None

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
        failures: list[tuple[str, BaseException]] = []
        for label, client in zip(self._labels, self._clients, strict=True):
            try:
                result = await client.create(
                    messages,
                    tools=tools,
                    tool_choice=tool_choice,
                    json_output=json_output,
                    extra_create_args=extra_create_args,
                    cancellation_token=cancellation_token,
                )
            except Exception as error:
                if not is_transient(error):
                    raise
                log.warning(
                    "LLM endpoint %s failed (%s); trying the next", label, type(error).__name__
                )
                failures.append((label, error))
                continue
            self.last_label = label
            return result
        raise AllEndpointsFailed(failures)

    async def create_stream(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[Tool | ToolSchema] = [],
        tool_choice: Tool | Literal["auto", "required", "none"] = "auto",
        json_output: bool | type[BaseModel] | None = None,
        extra_create_args: Mapping[str, Any] = {},
        cancellation_token: CancellationToken | None = None,
    ) -> AsyncGenerator[str | CreateResult, None]:
        """Not streamed: one ``create`` with failover, yielded as the final result."""
        yield await self.create(
            messages,
            tools=tools,
            tool_choice=tool_choice,
            json_output=json_output,
            extra_create_args=extra_create_args,
            cancellation_token=cancellation_token,
        )

    async def close(self) -> None:
        for client in self._clients:
            await client.close()

    def _sum(self, usages: list[RequestUsage]) -> RequestUsage:
        return RequestUsage(
            prompt_tokens=sum(u.prompt_tokens for u in usages),
            completion_tokens=sum(u.completion_tokens for u in usages),
        )

    def actual_usage(self) -> RequestUsage:
        return self._sum([c.actual_usage() for c in self._clients])

    def total_usage(self) -> RequestUsage:
        return self._sum([c.total_usage() for c in self._clients])

    def count_tokens(
        self, messages: Sequence[LLMMessage], *, tools: Sequence[Tool | ToolSchema] = []
    ) -> int:
        return self._clients[0].count_tokens(messages, tools=tools)

    def remaining_tokens(
        self, messages: Sequence[LLMMessage], *, tools: Sequence[Tool | ToolSchema] = []
    ) -> int:
        return self._clients[0].remaining_tokens(messages, tools=tools)

    @property
    def capabilities(self) -> ModelCapabilities:
        return self._clients[0].capabilities

    @property
    def model_info(self) -> ModelInfo:
        return self._clients[0].model_info
