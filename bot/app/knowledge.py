"""The knowledge capability: opens ``services.knowledge`` and indexes it at start-up."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import structlog

from bot.app.parts import CapabilityParts
from bot.services import Services
from knowledge.default_base import knowledge_base_from_env
from knowledge.knowledge_base import KnowledgeBase

__all__ = ["knowledge_capability", "open_knowledge_base"]

log = structlog.get_logger(__name__)


def open_knowledge_base(settings: Any) -> KnowledgeBase:
    """Files: CLOUDOPS_KNOWLEDGE_DIR or the starter runbooks; index: <data dir>/knowledge."""
    env = {**os.environ, "CLOUDOPS_DATA_DIR": str(settings.data_path)}
    return knowledge_base_from_env(env)


def knowledge_capability(services: Services) -> CapabilityParts:
    kb = open_knowledge_base(services.settings)
    services.knowledge = kb

    async def start() -> None:
        try:
            report = await asyncio.to_thread(kb.refresh)
        except Exception:
            log.exception("knowledge_refresh_failed")
            return
        log.info("knowledge_refreshed", **report.counts())

    return CapabilityParts(start=start)
