"""Scripted model replies for ReplayChatCompletionClient (tool calls, then text)."""

from __future__ import annotations

import json
from typing import Any

from autogen_core import FunctionCall
from autogen_core.models import CreateResult, ModelInfo, RequestUsage
from autogen_ext.models.replay import ReplayChatCompletionClient

INFO = ModelInfo(
    vision=False, function_calling=True, json_output=True, family="unknown", structured_output=False
)


def tool_call(name: str, arguments: dict[str, Any], call_id: str = "call-1") -> CreateResult:
    return CreateResult(
        finish_reason="function_calls",
        content=[FunctionCall(id=call_id, name=name, arguments=json.dumps(arguments))],
        usage=RequestUsage(prompt_tokens=100, completion_tokens=20),
        cached=False,
    )


def text(content: str | dict[str, Any], prompt: int = 200, completion: int = 50) -> CreateResult:
    body = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return CreateResult(
        finish_reason="stop",
        content=body,
        usage=RequestUsage(prompt_tokens=prompt, completion_tokens=completion),
        cached=False,
    )


def replay(*replies: str | CreateResult) -> ReplayChatCompletionClient:
    return ReplayChatCompletionClient(list(replies), model_info=INFO)
