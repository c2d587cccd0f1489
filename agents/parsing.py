"""Read the JSON object a model ended with, whatever wrapping it came in."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from agents.errors import AgentFailed

__all__ = ["parse_reply"]

M = TypeVar("M", bound=BaseModel)


def _object_text(text: str) -> str:
    """The outermost ``{...}`` (code fences and prose around it are ignored)."""
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON object in the reply")
    depth, in_string, escaped = 0, False, False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
    raise ValueError("unterminated JSON object in the reply")


def parse_reply(
    text: str, model: type[M], *, allowed: set[str] | None = None, usage: object = None
) -> M:
    """Validate the reply's JSON against ``model``; fields outside ``allowed`` are dropped."""
    try:
        data = json.loads(_object_text(text))
        if not isinstance(data, dict):
            raise ValueError("the JSON is not an object")
        if allowed is not None:
            data = {k: v for k, v in data.items() if k in allowed}
        return model.model_validate(data)
    except (ValueError, ValidationError) as error:
        raise AgentFailed("invalid_output", f"{model.__name__}: {error}", usage) from None
