"""Web search through Tavily's own async client (httpx underneath)."""

from __future__ import annotations

from typing import Any

from tavily import AsyncTavilyClient

from agents.tools.backend import ToolUnavailable

__all__ = ["WebSearch"]


class WebSearch:
    """``search`` returns ``[{title, url, content}]``; errors become ``ToolUnavailable``."""

    def __init__(self, api_key: str, *, base_url: str | None = None, timeout: float = 20.0) -> None:
        if not api_key:
            raise ValueError("TAVILY_API_KEY is empty")
        self._client = AsyncTavilyClient(api_key=api_key, api_base_url=base_url)
        self.timeout = timeout

    async def search(self, query: str, max_results: int = 5) -> list[dict[str, Any]]:
        try:
            reply = await self._client.search(
                query, max_results=max_results, search_depth="basic", timeout=self.timeout
            )
        except Exception as error:  # Tavily's own errors, timeouts, HTTP failures
            raise ToolUnavailable(f"web search failed: {type(error).__name__}") from error
        return [
            {
                "title": str(item.get("title") or ""),
                "url": str(item.get("url") or ""),
                "content": str(item.get("content") or "")[:1200],
            }
            for item in reply.get("results") or []
        ]

    async def close(self) -> None:
        await self._client.close()
