"""The model endpoint(s): the same probe as ``cloudops llm check`` (optional)."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.doctor.inputs import DoctorInput
from bot.doctor.result import Check

__all__ = ["llm_checks"]


def _config(inputs: DoctorInput) -> Any:
    from agents.config import llm_config  # imports AutoGen: seconds, off the loop

    return llm_config(inputs.settings, inputs.environ)


async def llm_checks(inputs: DoctorInput) -> list[Check]:
    try:
        config = await asyncio.to_thread(_config, inputs)
    except ValueError as exc:
        return [Check.fail("llm", str(exc), "fix the LLM_* variables (README: Configuration)")]
    if config is None:
        return [Check.ok("llm", "no model configured: every skill answers deterministically")]
    from agents.cli import probe_endpoint  # AutoGen loads only when a model is configured

    lines = [await probe_endpoint(endpoint, config) for endpoint in config.endpoints]
    if all(line.startswith("ok") for line in lines):
        if all("tool calling works" in line for line in lines):
            return [Check.ok("llm", "; ".join(line[5:] for line in lines))]
        return [
            Check.warn(
                "llm",
                "; ".join(line[5:] for line in lines),
                "pick a model with tool calling, or set LLM_FUNCTION_CALLING=false",
            )
        ]
    return [
        Check.fail(
            "llm",
            "; ".join(lines),
            "check LLM_BASE_URL, LLM_API_KEY and LLM_MODEL; prove it: cloudops llm check",
        )
    ]
