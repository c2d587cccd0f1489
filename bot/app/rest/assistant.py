"""``/api/v1/assistant/*``: the assistant over REST, with the same memory and honesty.

- ``POST /assistant/session`` → ``{session_id}``
- ``POST /assistant/query`` ``{question, session_id?, use_web_search?, max_context_docs?}``
  → ``{answer, citations: [{n, title, source, section}], supported, session_id, ...}``
- ``POST /assistant/refresh`` → the refresh report
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from bot.app.parts import CapabilityParts
from bot.registry import DependencyError
from bot.services import Services
from skills.conversation_memory import Memory
from skills.grounded_answer import answer_question
from skills.web_research import read_research, research, web_search_ready

__all__ = ["assistant_api", "QueryBody"]

API_CHAT = "api"
SESSION_ID = r"^[A-Za-z0-9_-]{8,64}$"


class QueryBody(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    session_id: str | None = Field(None, pattern=SESSION_ID)
    use_web_search: bool = False
    max_context_docs: int = Field(5, ge=1, le=20)


def _unavailable(exc: DependencyError) -> HTTPException:
    return HTTPException(503, f"{exc.dependency}: {exc.detail}")


async def _web(services: Services, question: str, session_id: str) -> dict[str, Any] | None:
    try:
        result = await research(services, question)
    except DependencyError as exc:
        raise HTTPException(502, f"{exc.dependency}: {exc.detail}") from None
    if result is None:
        return None
    text, sources = read_research(result, services.lang)
    citations = [
        {"n": n, "title": title, "source": url, "section": ""}
        for n, (title, url) in enumerate(sources, start=1)
    ]
    return {
        "answer": text,
        "citations": citations,
        "supported": bool(citations),
        "session_id": session_id,
        "web_search": "used",
    }


def assistant_api(services: Services) -> CapabilityParts:
    router = APIRouter(prefix="/assistant")

    @router.post("/session")
    async def new_session() -> dict[str, str]:
        return {"session_id": secrets.token_hex(16)}

    @router.post("/query")
    async def query(body: QueryBody) -> dict[str, Any]:
        session_id = body.session_id or secrets.token_hex(16)
        question = body.question.strip()
        if not question:
            raise HTTPException(422, "question is blank")
        if body.use_web_search and web_search_ready(services):
            found = await _web(services, question, session_id)
            if found is not None:
                return found
        memory = Memory.of(services, session_id, API_CHAT)
        turns = await memory.load()
        try:
            outcome = await answer_question(services, question, turns, top_k=body.max_context_docs)
        except DependencyError as exc:
            raise _unavailable(exc) from None
        await memory.remember(turns, question, outcome.query, outcome.answer.text[:1200])
        answer = outcome.answer
        return {
            "answer": answer.text,
            "citations": [asdict(c) for c in answer.citations],
            "supported": answer.supported,
            "session_id": session_id,
            "query": outcome.query,
            "by_model": outcome.by_model,
            "note": outcome.note,
            "web_search": "not_configured" if body.use_web_search else "not_requested",
        }

    @router.post("/refresh")
    async def refresh() -> dict[str, Any]:
        kb = services.knowledge
        if kb is None:
            raise HTTPException(503, "Knowledge base: not configured")
        report = await asyncio.to_thread(kb.refresh)
        return {**asdict(report), "reindexed": report.reindexed}

    return CapabilityParts(api=router)
