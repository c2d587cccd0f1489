"""Web search (optional): a Tavily key enables "Search the web" and research."""

from __future__ import annotations

import httpx

from bot.doctor.inputs import DoctorInput
from bot.doctor.result import Check
from config.availability import web_search_configured

__all__ = ["websearch_checks", "TAVILY_URL"]

TAVILY_URL = "https://api.tavily.com"


async def websearch_checks(inputs: DoctorInput) -> list[Check]:
    if not web_search_configured(inputs.settings):
        return [Check.ok("tavily", "not configured (optional: web search)")]
    base = TAVILY_URL
    try:
        async with httpx.AsyncClient(timeout=inputs.timeout) as client:
            await client.get(base)  # reachability only: a search would spend a credit
    except httpx.HTTPError as exc:
        return [
            Check.fail(
                "tavily",
                f"{base} does not answer: {type(exc).__name__}",
                "allow outbound HTTPS to api.tavily.com (or unset TAVILY_API_KEY)",
            )
        ]
    return [Check.ok("tavily", f"key set; {base} reachable (the key is checked on first use)")]
