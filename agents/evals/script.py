"""A scenario's scripted model: its ``script.yaml`` replayed by ReplayChatCompletionClient."""

from __future__ import annotations

import json
from typing import Any

from autogen_core import FunctionCall
from autogen_core.models import CreateResult, ModelInfo, RequestUsage
from autogen_ext.models.replay import ReplayChatCompletionClient

__all__ = ["scripted_client", "SCRIPTED_INFO"]

SCRIPTED_INFO = ModelInfo(
    vision=False,
    function_calling=True,
    json_output=True,
    family="unknown",
    structured_output=False,
)


def _reply(step: dict[str, Any], index: int) -> CreateResult:
    usage = RequestUsage(prompt_tokens=0, completion_tokens=0)
    if "tool" in step:
        call = FunctionCall(
            id=f"call-{index}", name=str(step["tool"]), arguments=json.dumps(step.get("args") or {})
        )
        return CreateResult(
            finish_reason="function_calls", content=[call], usage=usage, cached=False
        )
    if "json" in step:
        content = json.dumps(step["json"], ensure_ascii=False)
    elif "text" in step:
        content = str(step["text"])
    else:
        raise ValueError(f"script step {index} needs tool, json or text")
    return CreateResult(finish_reason="stop", content=content, usage=usage, cached=False)


def scripted_client(script: list[dict[str, Any]]) -> ReplayChatCompletionClient:
    replies = [_reply(step, i) for i, step in enumerate(script, start=1)]
    return ReplayChatCompletionClient(list(replies), model_info=SCRIPTED_INFO)
