"""Model clients: one ``OpenAIChatCompletionClient`` per endpoint, failover across them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autogen_core.models import ChatCompletionClient, ModelInfo
from autogen_ext.models.openai import OpenAIChatCompletionClient

from agents.config import Endpoint, LlmConfig
from agents.failover import FailoverChatCompletionClient

__all__ = ["model_info", "endpoint_client", "build_client"]

HttpClientFactory = Callable[[], Any]


def model_info(endpoint: Endpoint) -> ModelInfo:
    flags = endpoint.flags
    return ModelInfo(
        vision=flags.vision,
        function_calling=flags.function_calling,
        json_output=flags.json_output,
        family=flags.family,
        structured_output=flags.structured_output,
    )


def endpoint_client(
    endpoint: Endpoint, config: LlmConfig, http_client: Any = None
) -> OpenAIChatCompletionClient:
    """A client for one endpoint; ``http_client`` (an ``httpx.AsyncClient``) is for tests."""
    options: dict[str, Any] = {
        "model": endpoint.model,
        "api_key": endpoint.api_key.get_secret_value() or "not-needed",
        "model_info": model_info(endpoint),
        "timeout": config.timeout,
        "max_retries": config.max_retries,
        "temperature": 0,
        "parallel_tool_calls": False,
        "include_name_in_message": False,
    }
    if endpoint.base_url:
        options["base_url"] = endpoint.base_url
    if http_client is not None:
        options["http_client"] = http_client
    return OpenAIChatCompletionClient(**options)


def build_client(
    config: LlmConfig, http_client_factory: HttpClientFactory | None = None
) -> ChatCompletionClient:
    """The client agents use: the endpoints in order, failing over on transient errors.

    Create it inside the event loop that will use it (clients bind to their first loop).
    """
    clients = [
        endpoint_client(e, config, http_client_factory() if http_client_factory else None)
        for e in config.endpoints
    ]
    labels = [e.label for e in config.endpoints]
    return FailoverChatCompletionClient(clients, labels)
